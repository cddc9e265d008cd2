import { Inject, Injectable } from '@nestjs/common';
import { MONGO_CONNECTION } from '@sozialmonitor/platform';
import { sealingAad, type RecordSealer } from '@sozialmonitor/privacy';
import { createHash } from 'node:crypto';
import { mongo, type Connection } from 'mongoose';
import type { RecordVersion, RecordVersionStore } from '../delivery/raw-record-writer';
import { RECORD_SEALER } from '../keys.provider';

/**
 * The current version of every record ever delivered, one small document each. `_id` is
 * `<source>:<hash>` with hash = base64url(SHA-256(source + "\n" + recordId)), so one source is one
 * `_id` range and no secondary index is needed. The recordId itself is kept only sealed (AES-GCM,
 * like raw records), because a snapshot's completion must publish retractions under the real key.
 * No field value of a record is ever stored — only a keyed content id.
 */
interface RecordVersionDocument {
  _id: string;
  /** Keyed content id of the current version. */
  c: string;
  /** When this content was first accepted. */
  s: Date;
  /** A retraction. */
  d: boolean;
  /** The recordId, sealed, and the sealing key's id. */
  r: Buffer | mongo.Binary;
  k: string;
}

/** Membership of a record in a snapshot: `_id` = `<source>:<snapshotId>:<hash>`. */
interface SnapshotMemberDocument {
  _id: string;
}

const VERSIONS = 'ingestion_record_versions';
const MEMBERS = 'ingestion_snapshot_members';
const DUPLICATE_KEY = 11000;
const LOOKUP_CONCURRENCY = 16;
const registryAad = (source: string) => sealingAad('ingestion.record-versions', source);
export const recordHash = (source: string, recordId: string) =>
  createHash('sha256').update(`${source}\n${recordId}`, 'utf8').digest('base64url');
/** All `_id`s that start with `prefix` (':' + 1 = ';'). */
const prefixRange = (prefix: string) => ({ $gte: prefix, $lt: `${prefix.slice(0, -1)};` });

/**
 * The only door to the record-version and snapshot-member collections.
 *
 * Written with inserts and deletes only, never updates, and read with as few queries as possible:
 * FerretDB v1 (development and CI) updates about one document per 8 ms and evaluates most queries
 * by scanning, while it inserts a thousand documents in ~100 ms and finds one by `_id` in ~3 ms;
 * MongoDB is fast either way. A new record costs part of one insert; a re-sent record one `_id`
 * lookup (and, when changed, a delete and an insert); a snapshot's completion one merge of two
 * `_id`-ordered scans.
 */
@Injectable()
export class RecordVersionRepository implements RecordVersionStore {
  private readonly versions: mongo.Collection<RecordVersionDocument>;
  private readonly members: mongo.Collection<SnapshotMemberDocument>;

  constructor(
    @Inject(MONGO_CONNECTION) connection: Connection,
    @Inject(RECORD_SEALER) private readonly sealer: RecordSealer,
  ) {
    this.versions = connection.db!.collection<RecordVersionDocument>(VERSIONS);
    this.members = connection.db!.collection<SnapshotMemberDocument>(MEMBERS);
  }

  async register(source: string, versions: RecordVersion[], now: Date): Promise<Date[]> {
    const aad = registryAad(source);
    const docs = versions.map((v): RecordVersionDocument => {
      const { keyId, sealed } = this.sealer.seal(Buffer.from(v.recordId, 'utf8'), aad);
      return {
        _id: `${source}:${recordHash(source, v.recordId)}`,
        c: v.contentId,
        s: now,
        d: v.deleted,
        r: sealed,
        k: keyId,
      };
    });
    const since = docs.map(() => now);
    const clashes = await this.insertIgnoringDuplicates(this.versions, docs);
    if (clashes.length === 0) return since;

    // Records seen before (or twice in this batch): same content keeps its time, changed content replaces.
    const stored = await this.currentVersions([...new Set(clashes.map((i) => docs[i]._id))]);
    const replace = new Map<string, RecordVersionDocument>();
    for (const i of clashes) {
      const doc = docs[i];
      const current = replace.get(doc._id) ?? stored.get(doc._id);
      if (current && current.c === doc.c && current.d === doc.d) {
        since[i] = current.s;
        continue;
      }
      replace.set(doc._id, doc); // the last version of a recordId in the batch wins
    }
    if (replace.size > 0) {
      await concurrently([...replace.keys()], (id) => this.versions.deleteOne({ _id: id }));
      // A concurrent delivery of the same record may insert first; either is a current version.
      await this.insertIgnoringDuplicates(this.versions, [...replace.values()]);
    }
    return since;
  }

  async markInSnapshot(source: string, snapshotId: string, recordIds: string[]): Promise<void> {
    const ids = [...new Set(recordIds.map((r) => `${source}:${snapshotId}:${recordHash(source, r)}`))];
    await this.insertIgnoringDuplicates(
      this.members,
      ids.map((_id) => ({ _id })),
    );
  }

  /**
   * Present records of the source that are not members of the snapshot (recordIds opened), in pages:
   * a merge of the source's versions and the snapshot's members, both read once in `_id` order.
   */
  async *notInSnapshot(source: string, snapshotId: string, pageSize: number): AsyncGenerator<string[]> {
    const aad = registryAad(source);
    const versionPrefix = `${source}:`;
    const memberPrefix = `${source}:${snapshotId}:`;
    const members = this.members
      .find({ _id: prefixRange(memberPrefix) })
      .sort({ _id: 1 })
      .batchSize(2000);
    const versions = this.versions
      .find({ _id: prefixRange(versionPrefix), d: false }, { projection: { r: 1, k: 1 } })
      .sort({ _id: 1 })
      .batchSize(2000);
    let member = await members.next();
    let page: string[] = [];
    try {
      for await (const v of versions) {
        const hash = v._id.slice(versionPrefix.length);
        while (member && member._id.slice(memberPrefix.length) < hash) member = await members.next();
        if (member && member._id.slice(memberPrefix.length) === hash) continue;
        page.push(this.sealer.open(bytesOf(v.r), v.k, aad).toString('utf8'));
        if (page.length >= pageSize) {
          yield page;
          page = [];
        }
      }
      if (page.length > 0) yield page;
    } finally {
      await Promise.all([members.close(), versions.close()]);
    }
  }

  /** After completion the snapshot's membership is no longer needed. */
  async forgetSnapshot(source: string, snapshotId: string): Promise<void> {
    await this.members.deleteMany({ _id: prefixRange(`${source}:${snapshotId}:`) });
  }

  /**
   * The stored versions of these `_id`s. One `findOne` each (as deletes go one by one), 16 at a time,
   * rather than one `$in`: FerretDB v1 answers `findOne({_id})` from its primary key in ~3 ms whatever
   * the collection size, but evaluates `$in` by scanning every document against every id (minutes
   * for a large source). MongoDB is fast either way.
   */
  private async currentVersions(ids: string[]): Promise<Map<string, RecordVersionDocument>> {
    const found = new Map<string, RecordVersionDocument>();
    await concurrently(ids, async (id) => {
      const doc = await this.versions.findOne({ _id: id }, { projection: { c: 1, s: 1, d: 1 } });
      if (doc) found.set(id, doc);
    });
    return found;
  }

  /** Inserts; returns the indexes of the documents whose `_id` already existed. */
  private async insertIgnoringDuplicates<T extends { _id: string }>(
    collection: mongo.Collection<T>,
    docs: T[],
  ): Promise<number[]> {
    if (docs.length === 0) return [];
    try {
      await collection.insertMany(docs as mongo.OptionalUnlessRequiredId<T>[], { ordered: false });
      return [];
    } catch (e) {
      if (!(e instanceof mongo.MongoBulkWriteError)) throw e;
      const errors = Array.isArray(e.writeErrors) ? e.writeErrors : [e.writeErrors];
      if (errors.length === 0 || errors.some((w) => w.code !== DUPLICATE_KEY)) throw e;
      return errors.map((w) => w.index);
    }
  }
}

const bytesOf = (b: Buffer | mongo.Binary): Buffer =>
  b instanceof mongo.Binary ? Buffer.from(b.buffer) : Buffer.from(b);

/** Runs `fn` for every item, LOOKUP_CONCURRENCY at a time. */
async function concurrently<T>(items: T[], fn: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(LOOKUP_CONCURRENCY, items.length) }, worker));
}
