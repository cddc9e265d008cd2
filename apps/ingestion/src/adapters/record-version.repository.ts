import { Inject, Injectable } from '@nestjs/common';
import { MONGO_CONNECTION } from '@sozialmonitor/platform';
import { RecordKeyHasher, RecordSealer, sealingAad } from '@sozialmonitor/privacy';
import { mongo, type Connection } from 'mongoose';
import type { RecordVersion, RecordVersionStore } from '../application/ports/record-version.store';

/**
 * Every version of every record ever delivered, one small document each, insert-only. The first
 * version's `_id` is `<source>:<hash>` with hash the keyed hash of the raw topic's key (RecordKeyHasher,
 * privacy.md §1: an unkeyed hash of `pop-4711` is found by hashing guesses), the
 * n-th one's `<source>:<hash>#<n, six digits>`: one source is one `_id` range, the versions of a record
 * are adjacent in it (hashes have one length, and `#` sorts before every base64url character), and the
 * current version is the highest. No secondary index is needed. The recordId itself is kept only sealed (AES-GCM,
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
/** `_id` lookups (and inserts of a taken version number) in flight at once. */
const LOOKUP_CONCURRENCY = 4;
/** `<source>:<hash>` → the `_id` of its n-th version (n ≥ 1). */
const versionId = (base: string, n: number) => (n === 1 ? base : `${base}#${String(n).padStart(6, '0')}`);
/** The record part of a version's `_id` (`<source>:<hash>`). */
const recordPart = (id: string) => id.split('#')[0];
const versionNumber = (id: string) => (id.includes('#') ? Number(id.slice(id.indexOf('#') + 1)) : 1);
/**
 * `_id`s per `$in` lookup: FerretDB filters the rows it found again against the whole list (quadratic),
 * so 2,000 ids took 3.5 s in lists of 1,000 and 1.0 s in lists of 250 (fewer lists cost round trips).
 */
const LOOKUP_IN_SIZE = 200;
/** Versions of a record asked in one round (most records have one or two). */
const VERSIONS_PER_LOOKUP = 3;
const registryAad = (source: string) => sealingAad('ingestion.record-versions', source);
/** All `_id`s that start with `prefix` (':' + 1 = ';'). */
const prefixRange = (prefix: string) => ({ $gte: prefix, $lt: `${prefix.slice(0, -1)};` });

/**
 * The only door to the record-version and snapshot-member collections.
 *
 * Written with inserts only (a snapshot's members are deleted once at its end), read with as few
 * queries as possible: FerretDB v1 (development and CI) answers every query, updates and deletes
 * included, by scanning the table — except an equality on `_id` in our patched build — while it inserts
 * a thousand documents in ~100 ms; MongoDB is fast either way. A new record costs part of one insert (a
 * duplicate `_id` says "seen before"); a re-sent record a few `_id` lookups and, when changed, an
 * insert; a snapshot's completion one merge of two `_id`-ordered scans.
 */
@Injectable()
export class RecordVersionRepository implements RecordVersionStore {
  private readonly versions: mongo.Collection<RecordVersionDocument>;
  private readonly members: mongo.Collection<SnapshotMemberDocument>;

  constructor(
    @Inject(MONGO_CONNECTION) connection: Connection,
    private readonly sealer: RecordSealer,
    private readonly recordKeys: RecordKeyHasher,
  ) {
    this.versions = connection.db!.collection<RecordVersionDocument>(VERSIONS);
    this.members = connection.db!.collection<SnapshotMemberDocument>(MEMBERS);
  }

  async register(source: string, versions: RecordVersion[], now: Date): Promise<Date[]> {
    const aad = registryAad(source);
    const docs = versions.map((v): RecordVersionDocument => {
      const { keyId, sealed } = this.sealer.seal(Buffer.from(v.recordId, 'utf8'), aad);
      return {
        _id: this.recordKeys.rawKey(source, v.recordId),
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

    // Records seen before (or twice in this batch): same content keeps its time, changed content is
    // a new version (inserted, never updated: FerretDB v1 scans the collection for every update and
    // delete, ~0.5 s each at 80,000 records).
    const stored = await this.currentVersions([...new Set(clashes.map((i) => docs[i]._id))]);
    const added = new Map<string, { doc: RecordVersionDocument; n: number }>();
    for (const i of clashes) {
      const doc = docs[i];
      const current = added.get(doc._id) ?? stored.get(doc._id);
      if (current && current.doc.c === doc.c && current.doc.d === doc.d) {
        since[i] = current.doc.s;
        continue;
      }
      // the last version of a recordId in the batch wins
      added.set(doc._id, { doc, n: (stored.get(doc._id)?.n ?? 1) + 1 });
    }
    // one insert for all of them (one round trip: 2,000 single inserts took ~5 s on FerretDB, one
    // insertMany ~0.1 s); a number taken meanwhile by a concurrent delivery moves to the next one
    const changed = [...added.values()];
    const taken = await this.insertIgnoringDuplicates(
      this.versions,
      changed.map(({ doc, n }) => ({ ...doc, _id: versionId(doc._id, n) })),
    );
    await concurrently(
      taken.map((i) => changed[i]),
      ({ doc, n }) => this.insertVersion(doc, n + 1),
    );
    return since;
  }

  /**
   * Inserts a record's n-th version, or the next free one: taken means a concurrent delivery of the
   * same record added one first, and this one goes after it (deliveries of one record are not ordered
   * otherwise).
   */
  private async insertVersion(doc: RecordVersionDocument, n: number): Promise<void> {
    for (let next = n; ; next++) {
      const clashes = await this.insertIgnoringDuplicates(this.versions, [{ ...doc, _id: versionId(doc._id, next) }]);
      if (clashes.length === 0) return;
    }
  }

  async markInSnapshot(source: string, snapshotId: string, recordIds: string[]): Promise<void> {
    const ids = [...new Set(recordIds.map((r) => `${source}:${snapshotId}:${this.recordKeys.hash(source, r)}`))];
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
      .find({ _id: prefixRange(versionPrefix) }, { projection: { r: 1, k: 1, d: 1 } })
      .sort({ _id: 1 })
      .batchSize(2000);
    let member = await members.next();
    let page: string[] = [];
    // a record's versions are adjacent and in order: the last one seen of a hash is its current one
    let pending: Pick<RecordVersionDocument, '_id' | 'r' | 'k' | 'd'> | undefined;
    const settle = async (v: Pick<RecordVersionDocument, '_id' | 'r' | 'k' | 'd'>) => {
      if (v.d) return; // retracted already
      const hash = recordPart(v._id).slice(versionPrefix.length);
      while (member && member._id.slice(memberPrefix.length) < hash) member = await members.next();
      if (member && member._id.slice(memberPrefix.length) === hash) return;
      page.push(this.sealer.open(bytesOf(v.r), v.k, aad).toString('utf8'));
    };
    try {
      for await (const v of versions) {
        if (pending && recordPart(pending._id) !== recordPart(v._id)) await settle(pending);
        pending = v;
        if (page.length >= pageSize) {
          yield page;
          page = [];
        }
      }
      if (pending) await settle(pending);
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
   * The current version of each record (`<source>:<hash>`) and its number, looked up by `_id`: versions
   * 1–3 of every record in `$in` lists of LOOKUP_IN_SIZE (a record has one to a few), then 4–6 of those
   * that have a third, and so on. On MongoDB an `$in` of `_id`s is index lookups, and on FerretDB too
   * since its patched build (deploy/local/infra.sh, `v1.24.2-sm2`). Never a scan of the source's range,
   * however many records a batch re-sends: FerretDB v1 answers a range by reading the whole table (6.4 s
   * at 10⁵ versions here), so a scan per batch made a correction delivery's cost grow with the lake — at
   * scale 0.5 a batch of corrections outlasted the delivery socket's idle timeout. Lookups cost the
   * same per re-sent record at any lake size.
   */
  private async currentVersions(ids: string[]): Promise<Map<string, { doc: RecordVersionDocument; n: number }>> {
    const found = new Map<string, { doc: RecordVersionDocument; n: number }>();
    const projection = { c: 1, s: 1, d: 1 };
    let open = ids; // records whose current version may lie beyond the versions looked up so far
    for (let from = 1; open.length > 0; from += VERSIONS_PER_LOOKUP) {
      const wanted = open.flatMap((id) =>
        Array.from({ length: VERSIONS_PER_LOOKUP }, (_, k) => versionId(id, from + k)),
      );
      const lists = Array.from({ length: Math.ceil(wanted.length / LOOKUP_IN_SIZE) }, (_, i) =>
        wanted.slice(i * LOOKUP_IN_SIZE, (i + 1) * LOOKUP_IN_SIZE),
      );
      await concurrently(lists, async (list) => {
        for (const doc of await this.versions.find({ _id: { $in: list } }, { projection }).toArray()) {
          const base = recordPart(doc._id);
          const n = versionNumber(doc._id);
          if ((found.get(base)?.n ?? 0) < n) found.set(base, { doc, n });
        }
      });
      const last = from + VERSIONS_PER_LOOKUP - 1;
      open = open.filter((id) => found.get(id)?.n === last);
    }
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
