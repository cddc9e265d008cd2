import { Clock, pack } from '@sozialmonitor/platform';
import { kpiPayload } from '@sozialmonitor/testing/kpi-payload';
import mongoose, { type Connection } from 'mongoose';
import { randomUUID } from 'node:crypto';
import {
  PUBLICATION_HISTORY_COLLECTION,
  PUBLICATION_LOG_COLLECTION,
  PUBLICATION_LOG_COUNTER_COLLECTION,
  PublicationLogRepository,
} from './publication-log.repository';
import { historyEntryOf, type ValueState } from '../domain/value-history';
import type { PublicationEnvironment } from '../publication.environment';
import type { AnswerCache } from '../application/ports/answer-cache';
import { ReadEpoch } from '../application/read-epoch';
import { ReadModel } from '../application/read-model';

const ELMSHORN = '01056015';
const APPEN = '01056001';
const env = { PUBLICATION_LOG_POLL_MS: 3_600_000 } as PublicationEnvironment;
const noCache: AnswerCache = {
  lookup: () => Promise.resolve(null),
  stamps: () => Promise.resolve(null),
  store: () => Promise.resolve(),
  invalidate: () => Promise.resolve(true),
};

const day = (d: number, hour = 3) => `2026-05-${String(d).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00.000Z`;

/**
 * A month of daily `current` publications for two regions, a correction on the 20th, and a year value
 * corrected once: what the read model must answer `asOf` from MongoDB (memory holds one per value).
 */
const month = [
  ...Array.from({ length: 30 }, (_, i) => [
    kpiPayload({ period: 'current', value: i + 1, computedAt: day(i + 1) }),
    kpiPayload({ code: APPEN, period: 'current', value: 100 + i, computedAt: day(i + 1) }),
  ]).flat(),
  kpiPayload({ period: 'current', value: 20.5, computedAt: day(20, 9) }),
  kpiPayload({ period: '2023', value: 8.41, computedAt: day(2) }),
  kpiPayload({ period: '2023', value: 8.5, computedAt: day(12) }),
].map(historyEntryOf);
const keys = [...new Set(month.map((e) => e.key))];
const instants = [day(1, 1), day(2, 12), day(12, 12), day(20, 5), day(20, 10), day(30, 12), '2099-01-01T00:00:00.000Z'];

/** The publication history against the real server (FerretDB here): issue 11, hole 10. */
describe('ReadModel: latest state in memory, history in MongoDB', () => {
  let connection: Connection;
  let model: ReadModel | undefined;
  const start = async () => {
    const m = new ReadModel(
      new PublicationLogRepository(connection),
      noCache,
      new ReadEpoch(),
      env,
      new Clock({ TIME_ZONE: 'Europe/Berlin' }),
    );
    await m.onModuleInit();
    expect(m.isLoaded).toBe(true);
    return m;
  };
  const restart = async () => {
    await model?.onApplicationShutdown();
    model = await start();
    return model;
  };
  const answers = async (m: ReadModel) => {
    const out: Record<string, ValueState[]> = {};
    for (const at of instants) out[at] = (await m.statesAt(keys, at)).sort((a, b) => (a.key < b.key ? -1 : 1));
    return out;
  };
  const historyEntries = async () =>
    (await connection.db!.collection(PUBLICATION_HISTORY_COLLECTION).find({}).toArray()).reduce(
      (n, doc) => n + Object.keys(doc.entries as object).length,
      0,
    );

  beforeAll(async () => {
    const url = new URL(process.env.MONGO_URL!);
    url.pathname = `/test_publication_history_${randomUUID().slice(0, 8)}`;
    connection = await mongoose.createConnection(url.toString()).asPromise();
  });

  afterAll(async () => {
    await model?.onApplicationShutdown();
    await connection?.dropDatabase().catch(() => undefined);
    await connection?.close();
  });

  it('holds one publication per value and answers asOf after a restart exactly as before', async () => {
    const m = await restart();
    for (let i = 0; i < month.length; i += 5) await m.record(month.slice(i, i + 5));
    const before = await answers(m); // partly from publications still on their way into the histories
    await m.historiesWritten();
    expect(m.size).toEqual({ values: 3, entries: 3 });
    expect(await answers(m)).toEqual(before);
    expect(before[day(20, 10)].map((s) => [s.period, s.regionCode, s.payload.value, s.revised])).toEqual([
      ['current', APPEN, 119, false],
      ['2023', ELMSHORN, 8.5, true],
      ['current', ELMSHORN, 20.5, true],
    ]);
    expect(before[day(1, 1)]).toEqual([]);
    expect(before[day(2, 12)].find((s) => s.period === '2023')?.revised).toBe(false);

    const again = await restart();
    expect(again.size).toEqual({ values: 3, entries: 3 });
    expect(await answers(again)).toEqual(before);
    expect(again.statesOf(keys)).toEqual(m.statesOf(keys));
  });

  it('adds nothing when the whole history is consumed again (a replay of the topic)', async () => {
    const m = model!;
    const documents = await connection.db!.collection(PUBLICATION_LOG_COLLECTION).countDocuments({});
    const before = await answers(m);
    expect(await historyEntries()).toBe(month.length);
    for (let i = 0; i < month.length; i += 7) expect(await m.record(month.slice(i, i + 7))).toEqual([]);
    expect(await connection.db!.collection(PUBLICATION_LOG_COLLECTION).countDocuments({})).toBe(documents);
    expect(await historyEntries()).toBe(month.length);
    expect(await answers(await restart())).toEqual(before);
  });

  it('migrates a log written before the histories existed at its first load', async () => {
    const db = connection.db!;
    const before = await answers(model!);
    await model!.onApplicationShutdown();
    model = undefined;
    // what an older version left: log documents without the mark, no histories
    await db.collection(PUBLICATION_HISTORY_COLLECTION).drop();
    await db.collection(PUBLICATION_LOG_COLLECTION).updateMany({}, { $unset: { histories: '' } });
    const extra = historyEntryOf(kpiPayload({ period: '2022', value: 7, computedAt: day(3) }));
    const { head } = (await db
      .collection<{ _id: string; head: number }>(PUBLICATION_LOG_COUNTER_COLLECTION)
      .findOneAndUpdate({ _id: 'log' }, { $inc: { head: 1 } }, { returnDocument: 'after' }))!;
    await db
      .collection(PUBLICATION_LOG_COLLECTION)
      .insertOne({ _id: head as never, count: 1, writtenAt: new Date(), data: pack([extra.payload]) });

    const m = await restart();
    expect(await answers(m)).toEqual(before);
    await m.historiesWritten();
    expect(await historyEntries()).toBe(month.length + 1);
    expect(await db.collection(PUBLICATION_LOG_COLLECTION).countDocuments({ histories: { $ne: true } })).toBe(0);
    expect(await answers(m)).toEqual(before);
    expect((await m.statesAt([extra.key], day(4))).map((s) => s.payload.value)).toEqual([7]);
  });
});
