import type { LakeMessage } from '@sozialmonitor/contracts';

/** One stored lake version: offset, content hash, message (`[offset, hash, message]` when packed). */
export type StoredLakeEntry = [offset: number, hash: number, message: LakeMessage];

/** The durable lake (MongoDB in the service): accepted versions, chunk by chunk. */
export abstract class LakeLogStore {
  /** Stores accepted versions of one partition (in offset order); storing the same batch twice is a no-op. */
  abstract append(
    partition: number,
    entries: readonly StoredLakeEntry[],
    writer: string,
    writtenAt?: Date,
  ): Promise<void>;
  /** Every stored chunk, in no particular order (streamed; a few documents at a time). */
  abstract chunks(): AsyncGenerator<{ partition: number; entries: StoredLakeEntry[] }>;
  abstract countChunks(): Promise<number>;
  /**
   * Rewrites each partition's chunks with only the latest version of every record (lake-compaction.ts):
   * superseded versions leave the store. Safe beside appends and another compaction (loading takes the
   * highest offset of a key whatever chunks hold it). Returns the entries before and after.
   */
  abstract compact(): Promise<{ before: number; after: number }>;
}
