import { freePort } from '@sozialmonitor/testing/free-port';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { type ManagedProcess, serverProcess } from '../../../tools/faults/src/processes';

/**
 * The FerretDB build of deploy/local/infra.sh must answer a filter by `_id` (patch sm1) and an `$in` of
 * `_id`s (patch sm2) through the unique `_id` index: SQLite's plan says SEARCH … USING INDEX, not SCAN.
 * Its own FerretDB on a free port.
 */
describe('FerretDB: lookups by _id use the _id index', () => {
  let dir: string;
  let server: ManagedProcess;
  let client: MongoClient;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sm-ferretdb-id-'));
    const port = await freePort();
    server = serverProcess('ferretdb', join(dir, 'data'), [port], dir);
    await server.start();
    client = await new MongoClient(`mongodb://127.0.0.1:${port}/`, { directConnection: true }).connect();
  }, 120_000);

  afterAll(async () => {
    await client?.close();
    await server?.stop('SIGTERM', 10_000);
    server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function planOf(explained: unknown): string {
    return JSON.stringify((explained as { queryPlanner?: unknown }).queryPlanner ?? explained);
  }

  it('finds, updates and deletes by _id with the index and answers the right document', async () => {
    const docs = client.db('sm_id_index').collection<{ _id: string; n: number }>('records');
    await docs.insertMany(Array.from({ length: 200 }, (_, n) => ({ _id: `r-${n}`, n })));

    const plan = planOf(await docs.find({ _id: 'r-150' }).explain());
    expect(plan).toMatch(/SEARCH .*USING INDEX/);
    expect(plan).not.toMatch(/SCAN/);
    expect(await docs.findOne({ _id: 'r-150' })).toEqual({ _id: 'r-150', n: 150 });

    await docs.updateOne({ _id: 'r-7' }, { $set: { n: -7 } });
    expect(await docs.findOne({ _id: 'r-7' })).toEqual({ _id: 'r-7', n: -7 });
    await docs.deleteOne({ _id: 'r-8' });
    expect(await docs.findOne({ _id: 'r-8' })).toBeNull();
    expect(await docs.countDocuments()).toBe(199);
  });

  it('looks up an $in of _ids with the index, and answers other $in lists right without it', async () => {
    const docs = client.db('sm_id_index').collection<{ _id: string | number; n: number }>('many');
    await docs.insertMany(Array.from({ length: 300 }, (_, n) => ({ _id: `m-${n}`, n })));
    await docs.insertOne({ _id: 5, n: -5 });

    const wanted = ['m-3', 'm-250', 'm-999', 'm-17'];
    const plan = planOf(await docs.find({ _id: { $in: wanted } }).explain());
    expect(plan).toMatch(/SEARCH .*USING INDEX/);
    expect(plan).not.toMatch(/SCAN/);
    const found = await docs.find({ _id: { $in: wanted } }).toArray();
    expect(found.map((d) => d.n).sort((a, b) => a - b)).toEqual([3, 17, 250]);

    // not pushed down (another type in the list, another operator beside $in): scanned, still exact
    expect(planOf(await docs.find({ _id: { $in: ['m-3', 5] } }).explain())).toMatch(/SCAN/);
    expect((await docs.find({ _id: { $in: ['m-3', 5] } }).toArray()).map((d) => d.n).sort((a, b) => a - b)).toEqual([
      -5, 3,
    ]);
    expect((await docs.find({ _id: { $in: ['m-3', 'm-4'], $ne: 'm-4' } }).toArray()).map((d) => d.n)).toEqual([3]);
  });
});
