import mongoose, { type Connection } from 'mongoose';
import { randomUUID } from 'node:crypto';
import { SnapshotRepository } from './snapshot.repository';

/** The store itself holds one open snapshot per source (issue 11, hole 9), against the real server. */
describe('SnapshotRepository: one open snapshot per source', () => {
  let connection: Connection;
  let store: SnapshotRepository;
  const at = new Date(Date.UTC(2026, 11, 1));

  beforeAll(async () => {
    const url = new URL(process.env.MONGO_URL!);
    url.pathname = `/test_snapshots_${randomUUID().slice(0, 8)}`;
    connection = await mongoose.createConnection(url.toString()).asPromise();
    store = new SnapshotRepository(connection);
    await store.onModuleInit();
  });

  afterAll(async () => {
    await connection?.dropDatabase().catch(() => undefined);
    await connection?.close();
  });

  it('lets exactly one of many concurrent snapshots of a source open, and the next one after completing', async () => {
    const ids = Array.from({ length: 8 }, (_, i) => `s-${i}`);
    const holders = await Promise.all(ids.map((id) => store.create('population', id, at)));
    const opened = ids.filter((_, i) => holders[i] === undefined);
    expect(opened).toHaveLength(1);
    for (const holder of holders) if (holder !== undefined) expect(holder).toBe(opened[0]);
    const created = await Promise.all(ids.map((id) => store.find('population', id)));
    expect(created.filter((s) => s !== null).map((s) => s!.snapshotId)).toEqual(opened);
    // the same snapshot again is fine; another source has a slot of its own
    expect(await store.create('population', opened[0], at)).toBeUndefined();
    expect(await store.create('childcare', 'c-1', at)).toBeUndefined();
    await store.markCompleted('population', opened[0], at);
    expect(await store.create('population', 'next', at)).toBeUndefined();
  });
});
