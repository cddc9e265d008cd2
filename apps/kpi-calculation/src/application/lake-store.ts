import { Injectable } from '@nestjs/common';
import { lakeKey } from '@sozialmonitor/contracts';
import type { LakeEntry } from '../domain/lake-entry';
import { LakeVersions } from '../domain/lake-versions';
import { LakeLogStore, type StoredLakeEntry } from './ports/lake-log.store';

/**
 * The durable lake: which versions MongoDB holds, and writing the new ones. Separate from the
 * engine's versions because a follower's engine runs ahead of the store (it reads the topic, the
 * publisher writes the store).
 */
@Injectable()
export class LakeStore {
  private versions = new LakeVersions();

  constructor(private readonly repository: LakeLogStore) {}

  /** Notes a version read from the store (while loading). */
  noteStored(entry: LakeEntry): void {
    if (this.versions.isNew(entry.key, entry.offset, entry.hash))
      this.versions.set(entry.key, entry.offset, entry.hash);
  }

  /** Records (keys) whose version the store holds. */
  get size(): number {
    return this.versions.size;
  }

  /** Forgets what it knew (before re-reading the store). */
  reset(): void {
    this.versions = new LakeVersions();
  }

  /** Writes the entries of one partition that are newer and different than stored; returns how many. */
  async store(partition: number, entries: readonly LakeEntry[], writer: string): Promise<number> {
    const fresh: StoredLakeEntry[] = [];
    const staged = new LakeVersions();
    for (const e of entries) {
      // Compare with the store and with what this batch already staged (a key may repeat in a batch).
      const stagedOffset = staged.offsetOf(e.key);
      if (
        stagedOffset === undefined
          ? !this.versions.isNew(e.key, e.offset, e.hash)
          : !staged.isNew(e.key, e.offset, e.hash)
      )
        continue;
      staged.set(e.key, e.offset, e.hash);
      fresh.push([e.offset, e.hash, e.message]);
    }
    if (fresh.length === 0) return 0;
    await this.repository.append(partition, fresh, writer);
    for (const [offset, hash, message] of fresh)
      this.versions.set(lakeKey(message.source, message.recordId), offset, hash);
    return fresh.length;
  }
}
