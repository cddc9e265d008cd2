import { Inject, Injectable } from '@nestjs/common';
import type { KpiValuePayload } from '@sozialmonitor/contracts';
import { DependencyUnavailableError } from '@sozialmonitor/messaging';
import { MONGO_CONNECTION, pack, unpack } from '@sozialmonitor/platform';
import type { Connection, mongo } from 'mongoose';
import type { LoggedChunk, PublicationLog } from '../application/ports/publication-log.store';

/** Published forms of one consumed batch (chunk), gzip JSON (`pack`). */
interface LogDocument {
  /** The number taken from the counter. */
  _id: number;
  count: number;
  writtenAt: Date;
  data: mongo.Binary;
}

interface CounterDocument {
  _id: string;
  head: number;
}

export const PUBLICATION_LOG_COLLECTION = 'kpi_publication_log';
export const PUBLICATION_LOG_COUNTER_COLLECTION = 'kpi_publication_log_counter';
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
 * one-document counter. Every instance holds the whole read model in memory, loads the log at start
 * and reads the numbers other instances took since. Why not documents per value updated in place:
 * FerretDB v1 answers every update by scanning its collection, which made the read model take in
 * ~22 values/s; an insert stays in milliseconds at any size, and the log is read in full only at start
 * (other instances' documents: one query per poll).
 */
@Injectable()
export class PublicationLogRepository implements PublicationLog {
  private readonly log: mongo.Collection<LogDocument>;
  private readonly counter: mongo.Collection<CounterDocument>;

  constructor(@Inject(MONGO_CONNECTION) connection: Connection) {
    this.log = connection.db!.collection<LogDocument>(PUBLICATION_LOG_COLLECTION);
    this.counter = connection.db!.collection<CounterDocument>(PUBLICATION_LOG_COUNTER_COLLECTION);
  }

  /** Stores published forms (in chunks, in order) and returns the number and size of each document. */
  async append(payloads: readonly KpiValuePayload[], writtenAt = new Date()): Promise<LoggedChunk[]> {
    const chunks: LoggedChunk[] = [];
    for (let i = 0; i < payloads.length; i += LOG_CHUNK) {
      const data = pack(payloads.slice(i, i + LOG_CHUNK));
      const count = Math.min(LOG_CHUNK, payloads.length - i);
      chunks.push({ n: await guarded(() => this.insertNumbered(count, writtenAt, data)), count });
    }
    return chunks;
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
  async read(numbers: readonly number[]): Promise<{ n: number; payloads: KpiValuePayload[] }[]> {
    const out = [];
    if (numbers.length > 0) for await (const doc of this.some(numbers)) out.push(doc);
    return out;
  }

  /** Every document, in no particular order (streamed, a few at a time). */
  all(): AsyncGenerator<{ n: number; payloads: KpiValuePayload[] }> {
    return this.stream({});
  }

  /** The documents of these numbers, streamed a few at a time (an `asOf` long ago may need many). */
  some(numbers: readonly number[]): AsyncGenerator<{ n: number; payloads: KpiValuePayload[] }> {
    return this.stream({ _id: { $in: [...numbers] } });
  }

  private async *stream(filter: mongo.Filter<LogDocument>): AsyncGenerator<{ n: number; payloads: KpiValuePayload[] }> {
    const cursor = this.log.find(filter, { batchSize: LOAD_BATCH });
    try {
      for (;;) {
        const doc = await guarded(() => cursor.next());
        if (!doc) return;
        yield { n: doc._id, payloads: unpack<KpiValuePayload[]>(doc.data) };
      }
    } finally {
      // Closing fails when the read itself failed (that error is what the caller sees); the server drops
      // an abandoned cursor after its idle timeout.
      await cursor.close().catch(() => undefined);
    }
  }
}
