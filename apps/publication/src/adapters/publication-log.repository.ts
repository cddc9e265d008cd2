import { Inject, Injectable } from '@nestjs/common';
import type { KpiValuePayload } from '@sozialmonitor/contracts';
import { DependencyUnavailableError } from '@sozialmonitor/messaging';
import { MONGO_CONNECTION, pack, unpack } from '@sozialmonitor/platform';
import type { Connection, mongo } from 'mongoose';
import type { LogDocumentRead, PublicationLog } from '../application/ports/publication-log.store';
import { historyEntryOf } from '../domain/value-history';

/** Published forms of one consumed batch (chunk), gzip JSON (`pack`). */
interface LogDocument {
  /** The number taken from the counter. */
  _id: number;
  count: number;
  writtenAt: Date;
  data: mongo.Binary;
  /** Its published forms are in the values' histories (absent: written before they existed, or interrupted). */
  histories?: true;
}

/**
 * Every publication of one value, by entry id (`historyEntryOf`): setting a field that is there already
 * changes nothing, so writing a publication again (a replay, a repair) never duplicates it. Each published
 * form is one JSON string: FerretDB reads a scalar far faster than nested documents.
 */
interface HistoryDocument {
  /** The value key (`kpiValueKey`). */
  _id: string;
  entries: Record<string, string>;
}

interface CounterDocument {
  _id: string;
  head: number;
}

export const PUBLICATION_LOG_COLLECTION = 'kpi_publication_log';
export const PUBLICATION_LOG_COUNTER_COLLECTION = 'kpi_publication_log_counter';
export const PUBLICATION_HISTORY_COLLECTION = 'kpi_publication_history';
/** Histories inserted per request; values looked up at the same time. */
const HISTORY_BATCH = 500;
const HISTORY_PARALLEL = 8;
const COUNTER_ID = 'log';
/** Published forms per document: ~0.5 KB each before gzip keeps a document far below 16 MB. */
export const LOG_CHUNK = 2000;
const DUPLICATE_KEY = 11000;
const LOAD_BATCH = 16;

/** Server answers that mean "this request is wrong", not "the database is unreachable". */
const PERMANENT_SERVER_ERRORS = new Set([
  'MongoServerError',
  'MongoBulkWriteError',
  'MongoInvalidArgumentError',
  'BSONError',
  'MongoParseError',
]);
const TRANSIENT_SERVER_CODES = new Set([6, 7, 89, 91, 189, 9001, 10107, 11600, 11602, 13435, 13436]);

/** Anything but a definite server-side rejection is the database being unavailable (webhook.repository uses it too). */
function asDependencyFailure(e: unknown): unknown {
  const { name, code } = (e ?? {}) as { name?: string; code?: number };
  if (name && PERMANENT_SERVER_ERRORS.has(name) && !(code !== undefined && TRANSIENT_SERVER_CODES.has(code))) return e;
  return new DependencyUnavailableError(`MongoDB unavailable (${name ?? 'error'})`, { cause: e });
}

export async function guarded<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    throw asDependencyFailure(e);
  }
}

/**
 * The read model's durable form (the only code that talks to its collections): an insert-only log of
 * every publication this service consumed, one document per consumed batch (chunk), numbered from a
 * one-document counter. Every instance holds the current state of every value in memory, built from the
 * log at start, and reads the numbers other instances took since. Why not documents per value updated in
 * place as the read model's source: FerretDB v1 answered every update by scanning its collection, which
 * made the read model take in ~22 values/s; an insert stays in milliseconds at any size, and the log is
 * read in full only at start (other instances' documents: one query per poll).
 *
 * Beside it, `kpi_publication_history`: one document per value (`_id` its key) with every publication of
 * it, for `asOf` (memory holds only the latest publication). Looked up by `_id` equality, the one filter
 * FerretDB v1 answers from an index (our sm1 build); written with one upsert per value and log document,
 * after the log document and off the consumer's path (the read model queues them). A log document is
 * marked `histories` once its publications are in; loading queues those of unmarked documents (older
 * databases, interrupted writers), so an existing database migrates at its first start.
 */
@Injectable()
export class PublicationLogRepository implements PublicationLog {
  private readonly log: mongo.Collection<LogDocument>;
  private readonly counter: mongo.Collection<CounterDocument>;
  private readonly histories: mongo.Collection<HistoryDocument>;

  constructor(@Inject(MONGO_CONNECTION) connection: Connection) {
    this.log = connection.db!.collection<LogDocument>(PUBLICATION_LOG_COLLECTION);
    this.counter = connection.db!.collection<CounterDocument>(PUBLICATION_LOG_COUNTER_COLLECTION);
    this.histories = connection.db!.collection<HistoryDocument>(PUBLICATION_HISTORY_COLLECTION);
  }

  /** Stores published forms (in chunks, in order) and returns the documents written (not yet in the histories). */
  async append(payloads: readonly KpiValuePayload[], writtenAt = new Date()): Promise<LogDocumentRead[]> {
    const written: LogDocumentRead[] = [];
    for (let i = 0; i < payloads.length; i += LOG_CHUNK) {
      const chunk = payloads.slice(i, i + LOG_CHUNK);
      const data = pack(chunk);
      written.push({ n: await guarded(() => this.insertNumbered(chunk.length, writtenAt, data)), payloads: chunk, inHistories: false });
    }
    return written;
  }

  async inHistories(n: number): Promise<boolean> {
    return guarded(async () => (await this.log.findOne({ _id: n }, { projection: { histories: 1 } }))?.histories === true);
  }

  async addToHistories(n: number, payloads: readonly KpiValuePayload[]): Promise<void> {
    const byKey = new Map<string, Record<string, string>>();
    for (const payload of payloads) {
      const entry = historyEntryOf(payload);
      let entries = byKey.get(entry.key);
      if (!entries) byKey.set(entry.key, (entries = {}));
      entries[entry.id] = JSON.stringify(payload);
    }
    const existing = await this.insertNew([...byKey].map(([key, entries]) => ({ _id: key, entries })));
    // one update at a time: FerretDB v1 answers a multi-statement update command (bulkWrite) in seconds
    // per statement, single updates by `_id` in milliseconds
    for (const [key, entries] of byKey) {
      if (!existing.has(key)) continue;
      const fields = Object.fromEntries(Object.entries(entries).map(([id, text]) => [`entries.${id}`, text]));
      await guarded(() => this.histories.updateOne({ _id: key }, { $set: fields }, { upsert: true }));
    }
    await guarded(() => this.log.updateOne({ _id: n }, { $set: { histories: true } }));
  }

  /**
   * Inserts the histories of values that have none yet (an insert stays fast on FerretDB, an update costs
   * a lookup and a rewrite) and returns the keys that have one already: those are updated.
   */
  private async insertNew(documents: HistoryDocument[]): Promise<Set<string>> {
    const existing = new Set<string>();
    for (let i = 0; i < documents.length; i += HISTORY_BATCH) {
      const part = documents.slice(i, i + HISTORY_BATCH);
      try {
        await this.histories.insertMany(part, { ordered: false });
      } catch (e) {
        const failed = (e as { writeErrors?: { index: number; code: number }[] | { index: number; code: number } })
          .writeErrors;
        const errors = failed === undefined ? [] : Array.isArray(failed) ? failed : [failed];
        if (errors.length === 0 || errors.some((w) => w.code !== DUPLICATE_KEY)) throw asDependencyFailure(e);
        for (const w of errors) existing.add(part[w.index]._id);
      }
    }
    return existing;
  }

  async historiesOf(keys: readonly string[]): Promise<KpiValuePayload[]> {
    const unique = [...new Set(keys)];
    const out: KpiValuePayload[] = [];
    let next = 0;
    const worker = async () => {
      while (next < unique.length) {
        const key = unique[next++];
        const doc = await guarded(() => this.histories.findOne({ _id: key }));
        for (const text of Object.values(doc?.entries ?? {})) out.push(JSON.parse(text) as KpiValuePayload);
      }
    };
    await Promise.all(Array.from({ length: Math.min(HISTORY_PARALLEL, unique.length) }, worker));
    return out;
  }

  /**
   * Takes the next number and writes the document under it. A number already used means the counter
   * fell behind the log (e.g. its collection was restored from an older backup): it is moved past the
   * highest document and the write tried again, so that no document is ever lost to a duplicate.
   */
  private async insertNumbered(count: number, writtenAt: Date, data: mongo.Binary): Promise<number> {
    for (let attempt = 0; ; attempt++) {
      const counter = await this.counter.findOneAndUpdate(
        { _id: COUNTER_ID },
        { $inc: { head: 1 } },
        { upsert: true, returnDocument: 'after' },
      );
      const n = counter!.head;
      try {
        await this.log.insertOne({ _id: n, count, writtenAt, data });
        return n;
      } catch (e) {
        if ((e as { code?: number }).code !== DUPLICATE_KEY || attempt >= 2) throw e;
        const [highest] = await this.log
          .find({}, { projection: { _id: 1 } })
          .sort({ _id: -1 })
          .limit(1)
          .toArray();
        await this.counter.updateOne({ _id: COUNTER_ID }, { $max: { head: highest?._id ?? n } });
      }
    }
  }

  /** The highest number taken so far (0: nothing written). */
  async head(): Promise<number> {
    return guarded(async () => (await this.counter.findOne({ _id: COUNTER_ID }))?.head ?? 0);
  }

  /**
   * The documents of these numbers that are written (absent ones are left out). One query: FerretDB v1
   * scans the table for any read, by `_id` too, so one `$in` costs what one lookup does.
   */
  async read(numbers: readonly number[]): Promise<LogDocumentRead[]> {
    if (numbers.length === 0) return [];
    return guarded(async () =>
      (await this.log.find({ _id: { $in: [...numbers] } }).toArray()).map(readOf),
    );
  }

  /** Every document, in no particular order (streamed, a few at a time). */
  async *all(): AsyncGenerator<LogDocumentRead> {
    const cursor = this.log.find({}, { batchSize: LOAD_BATCH });
    try {
      for (;;) {
        const doc = await guarded(() => cursor.next());
        if (!doc) return;
        yield readOf(doc);
      }
    } finally {
      // Closing fails when the read itself failed (that error is what the caller sees); the server drops
      // an abandoned cursor after its idle timeout.
      await cursor.close().catch(() => undefined);
    }
  }
}

const readOf = (doc: LogDocument): LogDocumentRead => ({
  n: doc._id,
  payloads: unpack<KpiValuePayload[]>(doc.data),
  inHistories: doc.histories === true,
});
