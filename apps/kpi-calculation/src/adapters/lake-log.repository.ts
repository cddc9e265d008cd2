import { Inject, Injectable } from '@nestjs/common';
import { MONGO_CONNECTION, pack, unpack } from '@sozialmonitor/platform';
import type { Connection, mongo } from 'mongoose';
import { lakeKey } from '@sozialmonitor/contracts';
import type { LakeLogStore, StoredLakeEntry } from '../application/ports/lake-log.store';
import { latestPerKey } from '../domain/lake-compaction';

interface LakeLogDocument {
  /** `<partition>:<first offset>:<last offset>` of the entries: storing the same batch twice is a no-op. */
  _id: string;
  partition: number;
  count: number;
  writtenAt: Date;
  writer: string;
  /** gzip JSON of StoredLakeEntry[]. */
  data: mongo.Binary;
}

export const LAKE_LOG_COLLECTION = 'kpi_lake_log';
const CHUNK = 5000;
const DUPLICATE_KEY = 11000;

/**
 * The lake in MongoDB: an append-only log of the versions the service accepted (newer and different
 * than what it held), one document per consumed batch chunk. The latest version of a record is the
 * one with the highest offset (a key lives in one partition), so loading needs no order and a
 * document written twice after a crash changes nothing. Insert-only: no transactions and no
 * updates needed (FerretDB v1 updates are slow), every write a single-document write.
 */
@Injectable()
export class LakeLogRepository implements LakeLogStore {
  private readonly collection: mongo.Collection<LakeLogDocument>;

  constructor(@Inject(MONGO_CONNECTION) connection: Connection) {
    this.collection = connection.db!.collection<LakeLogDocument>(LAKE_LOG_COLLECTION);
  }

  /** Stores accepted versions of one partition (in offset order). */
  async append(
    partition: number,
    entries: readonly StoredLakeEntry[],
    writer: string,
    writtenAt = new Date(),
  ): Promise<void> {
    for (let i = 0; i < entries.length; i += CHUNK) {
      const chunk = entries.slice(i, i + CHUNK);
      const doc: LakeLogDocument = {
        _id: `${partition}:${chunk[0][0]}:${chunk[chunk.length - 1][0]}`,
        partition,
        count: chunk.length,
        writtenAt,
        writer,
        data: pack(chunk),
      };
      try {
        await this.collection.insertOne(doc);
      } catch (e) {
        if ((e as { code?: number }).code !== DUPLICATE_KEY) throw e;
      }
    }
  }

  /** Every stored chunk, in no particular order (streamed; a few documents at a time). */
  async *chunks(): AsyncGenerator<{ partition: number; entries: StoredLakeEntry[] }> {
    const cursor = this.collection.find({}, { batchSize: 8 });
    try {
      for await (const doc of cursor) yield { partition: doc.partition, entries: unpack<StoredLakeEntry[]>(doc.data) };
    } finally {
      await cursor.close();
    }
  }

  async countChunks(): Promise<number> {
    return this.collection.estimatedDocumentCount();
  }

  /**
   * Partition by partition: reads its chunks, writes the latest version of every record as new chunks
   * (`c:<partition>:<last offset>:<n>`: the same compaction twice writes the same ids), then deletes the
   * chunks it read. A crash in between leaves duplicates, which loading and the next compaction absorb;
   * chunks appended meanwhile are not touched.
   */
  async compact(): Promise<{ before: number; after: number }> {
    let before = 0;
    let after = 0;
    const partitions = (await this.collection.distinct('partition')) as number[];
    for (const partition of partitions) {
      const ids: string[] = [];
      const entries: StoredLakeEntry[] = [];
      for await (const doc of this.collection.find({ partition }, { batchSize: 8 })) {
        ids.push(doc._id);
        entries.push(...unpack<StoredLakeEntry[]>(doc.data));
      }
      const kept = latestPerKey(entries, ([, , m]) => lakeKey(m.source, m.recordId), ([offset]) => offset);
      before += entries.length;
      after += kept.length;
      if (kept.length === entries.length) continue; // nothing superseded: nothing to rewrite
      const last = kept.length ? kept[kept.length - 1][0] : 0;
      for (let i = 0; i < kept.length; i += CHUNK) {
        const chunk = kept.slice(i, i + CHUNK);
        const doc: LakeLogDocument = {
          _id: `c:${partition}:${last}:${i / CHUNK}`,
          partition,
          count: chunk.length,
          writtenAt: new Date(),
          writer: 'compaction',
          data: pack(chunk),
        };
        try {
          await this.collection.insertOne(doc);
        } catch (e) {
          if ((e as { code?: number }).code !== DUPLICATE_KEY) throw e;
        }
      }
      const written = new Set(Array.from({ length: Math.ceil(kept.length / CHUNK) }, (_, n) => `c:${partition}:${last}:${n}`));
      const obsolete = ids.filter((id) => !written.has(id));
      if (obsolete.length) await this.collection.deleteMany({ _id: { $in: obsolete } });
    }
    return { before, after };
  }
}
