import { freePort } from '@sozialmonitor/testing/free-port';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { type ManagedProcess, serverProcess } from '../../../tools/faults/src/processes';

/**
 * The FerretDB build of deploy/local/infra.sh (patch sm1) must answer a filter by `_id` through the
 * unique `_id` index: SQLite's plan says SEARCH … USING INDEX, not SCAN. Its own FerretDB on a free port.
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
});
