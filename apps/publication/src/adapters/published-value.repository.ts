import { Inject, Injectable } from '@nestjs/common';
import { kpiValueKey, type KpiValuePayload } from '@sozialmonitor/contracts';
import { DependencyUnavailableError } from '@sozialmonitor/messaging';
import { MONGO_CONNECTION } from '@sozialmonitor/platform';
import type { Collection } from 'mongodb';
import type { Connection } from 'mongoose';
import type { HistoryEntry, ValueState } from '../domain/value-history';

/** One publication inside a history document (its id is the field name, `e<id>`). */
interface EntryFields {
  publishedAt: Date;
  contentHash: string;
  valueHash: string;
  payload: KpiValuePayload;
}

/** Every publication of one value: `_id` = `<indicatorId>:<region>:<period>`. */
interface HistoryDocument {
  _id: string;
  indicatorId: string;
  regionCode: string;
  period: string;
  firstReceivedAt: Date;
  entries: Record<string, EntryFields>;
}

/** The derived state of one value, embedded in its slice and profile documents. */
interface StateFields {
  payload: KpiValuePayload;
  publishedAt: Date;
  firstPublishedAt: Date;
  revised: boolean;
  entries: number;
  latestEntryId: string;
}

/** All regions of one indicator and period: `_id` = `<indicatorId>|<period>`, values by `r<region code>`. */
interface SliceDocument {
  _id: string;
  indicatorId: string;
  period: string;
  values: Record<string, StateFields>;
}

/** All indicators of one region and period: `_id` = `<region>|<period>`, values by indicator id. */
interface ProfileDocument {
  _id: string;
  regionCode: string;
  period: string;
  values: Record<string, StateFields>;
}

/** Server answers that mean "this request is wrong", not "the database is unreachable". */
const PERMANENT_SERVER_ERRORS = new Set([
  'MongoServerError',
  'MongoBulkWriteError',
  'MongoInvalidArgumentError',
  'BSONError',
  'MongoParseError',
]);
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

/** Runs `work` over `items` with at most `parallel` at a time (reads by _id are cheap; many at once are not). */
async function forEachLimited<T, R>(
  items: readonly T[],
  parallel: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(parallel, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await work(items[i]);
      }
    }),
  );
  return out;
}

const sliceId = (indicatorId: string, period: string) => `${indicatorId}|${period}`;
const profileId = (regionCode: string, period: string) => `${regionCode}|${period}`;
const regionField = (regionCode: string) => `r${regionCode}`;
const entryField = (id: string) => `e${id}`;

function entriesOf(doc: HistoryDocument | null): HistoryEntry[] {
  if (!doc) return [];
  return Object.entries(doc.entries ?? {}).map(([field, e]) => ({
    id: field.slice(1),
    key: doc._id,
    indicatorId: doc.indicatorId,
    regionCode: doc.regionCode,
    period: doc.period,
    publishedAt: new Date(e.publishedAt).toISOString(),
    contentHash: e.contentHash,
    valueHash: e.valueHash,
    payload: e.payload,
  }));
}

const toFields = (s: ValueState): StateFields => ({
  payload: s.payload,
  publishedAt: new Date(s.publishedAt),
  firstPublishedAt: new Date(s.firstPublishedAt),
  revised: s.revised,
  entries: s.entries,
  latestEntryId: s.latestEntryId,
});

const toState = (f: StateFields): ValueState => ({
  key: kpiValueKey(f.payload),
  indicatorId: f.payload.indicatorId,
  regionCode: f.payload.region.code,
  period: f.payload.period,
  payload: f.payload,
  publishedAt: new Date(f.publishedAt).toISOString(),
  firstPublishedAt: new Date(f.firstPublishedAt).toISOString(),
  revised: f.revised,
  entries: f.entries,
  latestEntryId: f.latestEntryId,
});

const READ_PARALLEL = 8;

/**
 * The read model (the only code that talks to its collections). Every read and write addresses one
 * document by `_id` — the only lookup FerretDB v1 answers without scanning — and every write is a
 * single-document `$set` of named fields, so concurrent writers of different values of one document
 * never overwrite each other:
 * - `kpi_value_history_<indicatorId>`: per value, every publication (`entries.e<id>`); a message
 *   delivered twice sets the same field to the same content. One collection per indicator because
 *   FerretDB v1 answers an update by scanning its collection: 44 collections of ~650 documents keep a
 *   write in milliseconds where one collection of ~29,000 documents made each take most of a second;
 * - `kpi_slices` (per indicator and period) and `kpi_profiles` (per region and period): the current
 *   state of each value, derived from its history — what the API reads.
 */
export const historyCollectionOf = (indicatorId: string): string => `kpi_value_history_${indicatorId}`;

@Injectable()
export class PublishedValueRepository {
  private readonly histories = new Map<string, Collection<HistoryDocument>>();
  private readonly slices: Collection<SliceDocument>;
  private readonly profiles: Collection<ProfileDocument>;

  constructor(@Inject(MONGO_CONNECTION) private readonly connection: Connection) {
    this.slices = connection.db!.collection<SliceDocument>('kpi_slices');
    this.profiles = connection.db!.collection<ProfileDocument>('kpi_profiles');
  }

  /** The history collection of an indicator (value keys start with `<indicatorId>:`). */
  private history(keyOrIndicator: string): Collection<HistoryDocument> {
    const indicatorId = keyOrIndicator.split(':')[0];
    let collection = this.histories.get(indicatorId);
    if (!collection) {
      collection = this.connection.db!.collection<HistoryDocument>(historyCollectionOf(indicatorId));
      this.histories.set(indicatorId, collection);
    }
    return collection;
  }

  /** Adds publications of one value (those already there are set to the same content) and returns its whole history. */
  async addToHistory(entries: readonly HistoryEntry[]): Promise<HistoryEntry[]> {
    const { key, indicatorId, regionCode, period } = entries[0];
    const set: Record<string, EntryFields> = {};
    for (const e of entries) {
      set[`entries.${entryField(e.id)}`] = {
        publishedAt: new Date(e.publishedAt),
        contentHash: e.contentHash,
        valueHash: e.valueHash,
        payload: e.payload,
      };
    }
    const doc = await guarded(() =>
      this.history(indicatorId).findOneAndUpdate(
        { _id: key },
        { $set: set, $setOnInsert: { indicatorId, regionCode, period, firstReceivedAt: new Date() } },
        { upsert: true, returnDocument: 'after' },
      ),
    );
    return entriesOf(doc);
  }

  /** The whole history of each value. */
  async historyOf(keys: readonly string[]): Promise<HistoryEntry[]> {
    const docs = await guarded(() => forEachLimited(keys, READ_PARALLEL, (key) => this.history(key).findOne({ _id: key })));
    return docs.flatMap(entriesOf);
  }

  /** The stored states of the given values (read from their slices). */
  async storedStates(
    keys: readonly { indicatorId: string; regionCode: string; period: string }[],
  ): Promise<Map<string, ValueState>> {
    const ids = [...new Set(keys.map((k) => sliceId(k.indicatorId, k.period)))];
    const docs = await guarded(() => forEachLimited(ids, READ_PARALLEL, (id) => this.slices.findOne({ _id: id })));
    const out = new Map<string, ValueState>();
    for (const doc of docs)
      for (const fields of Object.values(doc?.values ?? {})) out.set(kpiValueKey(fields.payload), toState(fields));
    return out;
  }

  /**
   * Writes new states: profiles first, slices last. The recorder compares against slices, so a crash in
   * between is repaired when the batch comes again. One write at a time (SQLite under FerretDB serializes
   * writers anyway; parallel ones only contend).
   */
  async saveStates(states: readonly ValueState[]): Promise<void> {
    if (states.length === 0) return;
    const profiles = new Map<string, { regionCode: string; period: string; set: Record<string, StateFields> }>();
    const slices = new Map<string, { indicatorId: string; period: string; set: Record<string, StateFields> }>();
    for (const s of states) {
      const p = profiles.get(profileId(s.regionCode, s.period)) ?? {
        regionCode: s.regionCode,
        period: s.period,
        set: {},
      };
      p.set[`values.${s.indicatorId}`] = toFields(s);
      profiles.set(profileId(s.regionCode, s.period), p);
      const l = slices.get(sliceId(s.indicatorId, s.period)) ?? {
        indicatorId: s.indicatorId,
        period: s.period,
        set: {},
      };
      l.set[`values.${regionField(s.regionCode)}`] = toFields(s);
      slices.set(sliceId(s.indicatorId, s.period), l);
    }
    await guarded(async () => {
      for (const [id, p] of profiles) {
        await this.profiles.updateOne(
          { _id: id },
          { $set: p.set, $setOnInsert: { regionCode: p.regionCode, period: p.period } },
          { upsert: true },
        );
      }
      for (const [id, l] of slices) {
        await this.slices.updateOne(
          { _id: id },
          { $set: l.set, $setOnInsert: { indicatorId: l.indicatorId, period: l.period } },
          { upsert: true },
        );
      }
    });
  }

  /** Current values of one indicator and stored period, every region. */
  async slice(indicatorId: string, period: string): Promise<ValueState[]> {
    const doc = await guarded(() => this.slices.findOne({ _id: sliceId(indicatorId, period) }));
    return Object.values(doc?.values ?? {}).map(toState);
  }

  /** Current values of every indicator for one region and stored period. */
  async profile(regionCode: string, period: string): Promise<ValueState[]> {
    const doc = await guarded(() => this.profiles.findOne({ _id: profileId(regionCode, period) }));
    return Object.values(doc?.values ?? {}).map(toState);
  }
}
