import type { LakeMessage } from '@sozialmonitor/contracts';
import mongoose, { type Connection } from 'mongoose';
import { randomUUID } from 'node:crypto';
import type { StoredLakeEntry } from '../application/ports/lake-log.store';
import { LakeLogRepository } from './lake-log.repository';

/** Retention of the lake store (issue 11, hole 10) against the real server (FerretDB here). */
describe('LakeLogRepository.compact', () => {
  let connection: Connection;
  let log: LakeLogRepository;
  const version = (offset: number, recordId: string, age: number): StoredLakeEntry => [
    offset,
    offset * 7,
    { source: 'population', recordId, age } as unknown as LakeMessage,
  ];
  const deletion = (offset: number, recordId: string): StoredLakeEntry => [
    offset,
    offset * 7,
    { source: 'population', recordId, deleted: true } as LakeMessage,
  ];
  const everything = async () => {
    const out: StoredLakeEntry[] = [];
    for await (const chunk of log.chunks()) out.push(...chunk.entries);
    return out.sort((a, b) => a[0] - b[0]);
  };

  beforeAll(async () => {
    const url = new URL(process.env.MONGO_URL!);
    url.pathname = `/test_lake_log_${randomUUID().slice(0, 8)}`;
    connection = await mongoose.createConnection(url.toString()).asPromise();
    log = new LakeLogRepository(connection);
  });

  afterAll(async () => {
    await connection?.dropDatabase().catch(() => undefined);
    await connection?.close();
  });

  it('keeps the latest version of every record (a retraction as its contentless deletion) and drops the superseded', async () => {
    await log.append(0, [version(1, 'r-a', 30), version(2, 'r-b', 40)], 'w');
    await log.append(0, [version(3, 'r-a', 31), deletion(4, 'r-b')], 'w');
    await log.append(0, [version(5, 'r-a', 32), version(6, 'r-c', 50)], 'w');
    await log.append(1, [version(1, 'r-d', 60)], 'w');
    expect(await log.compact()).toEqual({ before: 7, after: 4 });
    expect(await everything()).toEqual([version(1, 'r-d', 60), deletion(4, 'r-b'), version(5, 'r-a', 32), version(6, 'r-c', 50)]);
    // the superseded ages are gone from the database, not only from what loading returns
    expect(JSON.stringify(await everything())).not.toMatch(/"age":(30|31|40)/);
    expect(await log.countChunks()).toBe(2);
  });

  it('changes nothing the second time, and keeps chunks appended since', async () => {
    expect(await log.compact()).toEqual({ before: 4, after: 4 });
    await log.append(0, [version(7, 'r-c', 51)], 'w');
    expect(await log.compact()).toEqual({ before: 5, after: 4 });
    expect((await everything()).map(([offset]) => offset)).toEqual([1, 4, 5, 7]);
  });
});
