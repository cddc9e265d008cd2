import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { KpiValuePayload } from '@sozialmonitor/contracts';
import { DependencyUnavailableError } from '@sozialmonitor/messaging';
import { MONGO_CONNECTION } from '@sozialmonitor/platform';
import type { AnyBulkWriteOperation, Collection } from 'mongodb';
import type { Connection } from 'mongoose';
import type { HistoryEntry, ValueState } from '../domain/value-history';

interface HistoryDocument {
  _id: string;
  key: string;
  indicatorId: string;
  regionCode: string;
  period: string;
  publishedAt: Date;
  /** When this service first saw the publication (for operators; answers use publishedAt). */
  receivedAt: Date;
  contentHash: string;
  valueHash: string;
  payload: KpiValuePayload;
}

interface StateDocument {
  _id: string;
  indicatorId: string;
  regionCode: string;
  period: string;
  payload: KpiValuePayload;
  publishedAt: Date;
  firstPublishedAt: Date;
  revised: boolean;
  entries: number;
  latestEntryId: string;
  updatedAt: Date;
}

/** Server answers that mean "this request is wrong", not "the database is unreachable". */
const PERMANENT_SERVER_ERRORS = new Set(['MongoServerError', 'MongoBulkWriteError', 'MongoInvalidArgumentError', 'BSONError', 'MongoParseError']);
const TRANSIENT_SERVER_CODES = new Set([6, 7, 89, 91, 189, 9001, 10107, 11600, 11602, 13435, 13436]);

/** Anything but a definite server-side rejection is the database being unavailable. */
function asDependencyFailure(e: unknown): unknown {
  const { name, code } = (e ?? {}) as { name?: string; code?: number };
  if (name && PERMANENT_SERVER_ERRORS.has(name) && !(code !== undefined && TRANSIENT_SERVER_CODES.has(code))) return e;
  return new DependencyUnavailableError(`MongoDB unavailable (${name ?? 'error'})`, { cause: e });
}

async function guarded<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    throw asDependencyFailure(e);
  }
}

const toEntry = (d: HistoryDocument): HistoryEntry => ({
  id: d._id,
  key: d.key,
  indicatorId: d.indicatorId,
  regionCode: d.regionCode,
  period: d.period,
  publishedAt: d.publishedAt.toISOString(),
  contentHash: d.contentHash,
  valueHash: d.valueHash,
  payload: d.payload,
});

const toState = (d: StateDocument): ValueState => ({
  key: d._id,
  indicatorId: d.indicatorId,
  regionCode: d.regionCode,
  period: d.period,
  payload: d.payload,
  publishedAt: d.publishedAt.toISOString(),
  firstPublishedAt: d.firstPublishedAt.toISOString(),
  revised: d.revised,
  entries: d.entries,
  latestEntryId: d.latestEntryId,
});

/**
 * The read model (the only code that talks to its collections):
 * - `kpi_value_history`: every publication of every value, keyed by a hash of key, time and content,
 *   so that a message delivered twice is stored once;
 * - `kpi_values`: the current state of each value (`<indicatorId>:<region>:<period>`), derived from
 *   its history, which the API reads.
 * Single-document writes and simple finds only (FerretDB v1 in development and CI).
 */
@Injectable()
export class PublishedValueRepository implements OnModuleInit {
  private readonly history: Collection<HistoryDocument>;
  private readonly states: Collection<StateDocument>;

  constructor(@Inject(MONGO_CONNECTION) connection: Connection) {
    this.history = connection.db!.collection<HistoryDocument>('kpi_value_history');
    this.states = connection.db!.collection<StateDocument>('kpi_values');
  }

  async onModuleInit(): Promise<void> {
    await guarded(async () => {
      await this.history.createIndex({ key: 1 });
      await this.history.createIndex({ indicatorId: 1, period: 1 });
      await this.history.createIndex({ regionCode: 1, period: 1 });
      await this.states.createIndex({ indicatorId: 1, period: 1 });
      await this.states.createIndex({ regionCode: 1, period: 1 });
    });
  }

  /** Adds publications that are not there yet; an entry already present is left untouched. */
  async addHistory(entries: readonly HistoryEntry[], receivedAt = new Date()): Promise<void> {
    if (entries.length === 0) return;
    const ops: AnyBulkWriteOperation<HistoryDocument>[] = entries.map((e) => ({
      updateOne: {
        filter: { _id: e.id },
        update: {
          $setOnInsert: {
            key: e.key,
            indicatorId: e.indicatorId,
            regionCode: e.regionCode,
            period: e.period,
            publishedAt: new Date(e.publishedAt),
            receivedAt,
            contentHash: e.contentHash,
            valueHash: e.valueHash,
            payload: e.payload,
          },
        },
        upsert: true,
      },
    }));
    await guarded(() => this.history.bulkWrite(ops, { ordered: false }));
  }

  async historyOfKeys(keys: readonly string[]): Promise<HistoryEntry[]> {
    if (keys.length === 0) return [];
    return guarded(async () => (await this.history.find({ key: { $in: [...keys] } }).toArray()).map(toEntry));
  }

  async statesOfKeys(keys: readonly string[]): Promise<Map<string, ValueState>> {
    if (keys.length === 0) return new Map();
    const docs = await guarded(() => this.states.find({ _id: { $in: [...keys] } }).toArray());
    return new Map(docs.map((d) => [d._id, toState(d)]));
  }

  async saveStates(states: readonly ValueState[]): Promise<void> {
    if (states.length === 0) return;
    const now = new Date();
    const ops: AnyBulkWriteOperation<StateDocument>[] = states.map((s) => ({
      replaceOne: {
        filter: { _id: s.key },
        replacement: {
          indicatorId: s.indicatorId,
          regionCode: s.regionCode,
          period: s.period,
          payload: s.payload,
          publishedAt: new Date(s.publishedAt),
          firstPublishedAt: new Date(s.firstPublishedAt),
          revised: s.revised,
          entries: s.entries,
          latestEntryId: s.latestEntryId,
          updatedAt: now,
        },
        upsert: true,
      },
    }));
    await guarded(() => this.states.bulkWrite(ops, { ordered: false }));
  }

  /** Current values of one indicator and stored period, every region. */
  async slice(indicatorId: string, period: string): Promise<ValueState[]> {
    return guarded(async () => (await this.states.find({ indicatorId, period }).toArray()).map(toState));
  }

  /** Current values of every indicator for one region and stored period. */
  async profile(regionCode: string, period: string): Promise<ValueState[]> {
    return guarded(async () => (await this.states.find({ regionCode, period }).toArray()).map(toState));
  }

  /** Publications up to `until` (RFC 3339) of one indicator or one region, for `asOf` answers. */
  async historyUntil(filter: { indicatorId?: string; regionCode?: string; periods: readonly string[]; until: string }): Promise<HistoryEntry[]> {
    const query: Record<string, unknown> = { period: { $in: [...filter.periods] }, publishedAt: { $lte: new Date(filter.until) } };
    if (filter.indicatorId !== undefined) query.indicatorId = filter.indicatorId;
    if (filter.regionCode !== undefined) query.regionCode = filter.regionCode;
    return guarded(async () => (await this.history.find(query).toArray()).map(toEntry));
  }
}
