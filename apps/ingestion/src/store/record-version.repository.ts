import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { MONGO_CONNECTION } from '@sozialmonitor/platform';
import { sealingAad, type RecordSealer } from '@sozialmonitor/privacy';
import { createHash } from 'node:crypto';
import { mongo, type Connection } from 'mongoose';
import type { RecordVersion, RecordVersionStore } from '../delivery/raw-record-writer';
import { RECORD_SEALER } from '../keys.provider';

/**
 * One document per record ever delivered: `_id` is the SHA-256 of `source + "\n" + recordId`, the
 * recordId itself is kept only sealed (AES-GCM, like raw records) because a snapshot's completion must
 * publish retractions under the real key. No field value of a record is ever stored here.
 */
interface RecordVersionDocument {
  _id: string;
  source: string;
  /** The recordId, sealed; `kid` names the key. */
  rid: Buffer | mongo.Binary;
  kid: string;
  /** Keyed content id of the last published version. */
  cid: string;
  since: Date;
  deleted: boolean;
  /** The last snapshot the record was delivered in. */
  snap?: string;
  /** When a delivery last touched the record. */
  touched: Date;
}

const COLLECTION = 'ingestion_record_versions';
const registryAad = (source: string) => sealingAad('ingestion.record-versions', source);
export const recordHash = (source: string, recordId: string) => createHash('sha256').update(`${source}\n${recordId}`, 'utf8').digest('hex');

/** The only door to the record-version collection. */
@Injectable()
export class RecordVersionRepository implements RecordVersionStore, OnModuleInit {
  private readonly collection: mongo.Collection<RecordVersionDocument>;

  constructor(
    @Inject(MONGO_CONNECTION) connection: Connection,
    @Inject(RECORD_SEALER) private readonly sealer: RecordSealer,
  ) {
    this.collection = connection.db!.collection<RecordVersionDocument>(COLLECTION);
  }

  async onModuleInit(): Promise<void> {
    await this.collection.createIndex({ source: 1, deleted: 1 });
  }

  async versionsOf(source: string, recordIds: string[]): Promise<Map<string, RecordVersion>> {
    const byHash = new Map(recordIds.map((id) => [recordHash(source, id), id]));
    const docs = await this.collection
      .find({ _id: { $in: [...byHash.keys()] } }, { projection: { cid: 1, since: 1, deleted: 1 } })
      .toArray();
    const out = new Map<string, RecordVersion>();
    for (const d of docs) {
      const recordId = byHash.get(d._id)!;
      out.set(recordId, { recordId, contentId: d.cid, since: d.since, deleted: d.deleted });
    }
    return out;
  }

  async save(source: string, versions: RecordVersion[], touchedAt: Date, snapshotId?: string): Promise<void> {
    if (versions.length === 0) return;
    const aad = registryAad(source);
    await this.collection.bulkWrite(
      versions.map((v) => {
        const { keyId, sealed } = this.sealer.seal(Buffer.from(v.recordId, 'utf8'), aad);
        const set: Partial<RecordVersionDocument> = { source, rid: sealed, kid: keyId, cid: v.contentId, since: v.since, deleted: v.deleted, touched: touchedAt };
        if (snapshotId) set.snap = snapshotId;
        return { updateOne: { filter: { _id: recordHash(source, v.recordId) }, update: { $set: set }, upsert: true } };
      }),
      { ordered: true },
    );
  }

  /**
   * Records a completed snapshot retracts: present (not deleted), not delivered in the snapshot, and
   * not touched by any delivery since the snapshot began (a record delivered meanwhile is newer than
   * the extract). Returns their recordIds, opened.
   */
  async retractionCandidates(source: string, snapshotId: string, startedAt: Date, limit: number): Promise<string[]> {
    const docs = await this.collection
      .find({ source, deleted: false, snap: { $ne: snapshotId }, touched: { $lt: startedAt } }, { projection: { rid: 1, kid: 1 } })
      .limit(limit)
      .toArray();
    const aad = registryAad(source);
    return docs.map((d) => this.sealer.open(bytesOf(d.rid), d.kid, aad).toString('utf8'));
  }
}

const bytesOf = (b: Buffer | mongo.Binary): Buffer => (b instanceof mongo.Binary ? Buffer.from(b.buffer) : Buffer.from(b));
