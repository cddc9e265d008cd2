import type { Embargo } from '../../domain/embargo';

/** Where holds are kept (MongoDB): a handful of documents, read by every publishing round. */
export abstract class EmbargoStore {
  abstract all(): Promise<Embargo[]>;
  /** false when the id (the year) has an embargo already. */
  abstract insert(embargo: Embargo): Promise<boolean>;
  /** Moves a held embargo's release time; false when it is not held (any more). */
  abstract reschedule(id: string, releaseAt: string): Promise<boolean>;
  /** Marks a held embargo released; false when it was not held any more. */
  abstract markReleased(id: string, releasedAt: string, published: number): Promise<boolean>;
}
