import type { PublishedValueRecord } from './value-round.store';

/** What was published before, from outside this service's store (the compacted KPI topic). */
export abstract class PublishedValuesSource {
  /** The latest published form of every key. */
  abstract latest(): Promise<PublishedValueRecord[]>;
}
