/** A content version of a record about to be published. */
export interface RecordVersion {
  recordId: string;
  /** Keyed content id of the version (= its ce_id). */
  contentId: string;
  deleted: boolean;
}

/**
 * The record version store (MongoDB in the service, a Map in tests): which content version of each
 * record was last accepted, and since when, so that a re-sent identical record gets its first
 * delivery time again; and which records belong to a snapshot.
 */
export abstract class RecordVersionStore {
  /**
   * Registers the versions (in order; a later one for the same recordId replaces an earlier one) and
   * returns, aligned with them, the time each version was first accepted: `now` for new or changed
   * content, the stored time for content seen before.
   */
  abstract register(source: string, versions: RecordVersion[], now: Date): Promise<Date[]>;
  /** Records that these recordIds belong to the snapshot. */
  abstract markInSnapshot(source: string, snapshotId: string, recordIds: string[]): Promise<void>;
  /** Pages of the present records of the source that the snapshot lacks. */
  abstract notInSnapshot(source: string, snapshotId: string, pageSize: number): AsyncGenerator<string[]>;
  /** Forgets which records belong to the (completed) snapshot. */
  abstract forgetSnapshot(source: string, snapshotId: string): Promise<void>;
}
