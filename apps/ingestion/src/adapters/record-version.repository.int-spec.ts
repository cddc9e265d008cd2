import { parseKeyRing, RecordKeyHasher, RecordSealer } from '@sozialmonitor/privacy';
import mongoose, { type Connection } from 'mongoose';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { RecordVersion } from '../application/ports/record-version.store';
import { RecordVersionRepository } from './record-version.repository';

/** The record registry against the real server of the environment (FerretDB here, MongoDB elsewhere). */
describe('RecordVersionRepository', () => {
  let connection: Connection;
  let repository: RecordVersionRepository;
  let recordKeys: RecordKeyHasher;
  const t = (minute: number) => new Date(Date.UTC(2026, 10, 25, 10, minute));
  const version = (recordId: string, contentId: string, deleted = false): RecordVersion => ({
    recordId,
    contentId,
    deleted,
  });
  const notInSnapshot = async (source: string, snapshotId: string) => {
    const out: string[] = [];
    for await (const page of repository.notInSnapshot(source, snapshotId, 2)) out.push(...page);
    return out.sort();
  };

  beforeAll(async () => {
    const url = new URL(process.env.MONGO_URL!);
    url.pathname = `/test_record_versions_${randomUUID().slice(0, 8)}`;
    connection = await mongoose.createConnection(url.toString()).asPromise();
    const ring = parseKeyRing(`k1:${randomBytes(32).toString('base64')}`, 'RAW_KEYS');
    recordKeys = new RecordKeyHasher(ring);
    repository = new RecordVersionRepository(connection, new RecordSealer(ring), recordKeys);
  });

  afterAll(async () => {
    await connection?.dropDatabase().catch(() => undefined);
    await connection?.close();
  });

  it('keeps the time of unchanged content and starts a new one for every change, back and forth', async () => {
    expect(await repository.register('population', [version('p-1', 'a')], t(1))).toEqual([t(1)]);
    expect(await repository.register('population', [version('p-1', 'a')], t(2))).toEqual([t(1)]);
    expect(await repository.register('population', [version('p-1', 'b')], t(3))).toEqual([t(3)]);
    expect(await repository.register('population', [version('p-1', 'b')], t(4))).toEqual([t(3)]);
    expect(await repository.register('population', [version('p-1', 'a')], t(5))).toEqual([t(5)]);
    expect(await repository.register('population', [version('p-1', 'a')], t(6))).toEqual([t(5)]);
    // a fourth version lies beyond the first round of lookups (versions 1–3)
    expect(await repository.register('population', [version('p-1', 'c')], t(7))).toEqual([t(7)]);
    expect(await repository.register('population', [version('p-1', 'c')], t(8))).toEqual([t(7)]);
    expect(await repository.register('population', [version('p-1', 'a')], t(9))).toEqual([t(9)]);
  });

  it('takes the last version of a record that comes twice in one batch', async () => {
    await repository.register('population', [version('p-2', 'a')], t(1));
    await repository.register('population', [version('p-2', 'b'), version('p-2', 'c')], t(2));
    expect(await repository.register('population', [version('p-2', 'c')], t(3))).toEqual([t(2)]);
  });

  it('adds concurrent changes of one record one after the other', async () => {
    await repository.register('population', [version('p-3', 'a')], t(1));
    await Promise.all([
      repository.register('population', [version('p-3', 'b')], t(2)),
      repository.register('population', [version('p-3', 'c')], t(2)),
    ]);
    const base = recordKeys.rawKey('population', 'p-3');
    const ids = (
      await connection
        .db!.collection('ingestion_record_versions')
        .find({}, { projection: { _id: 1 } })
        .toArray()
    )
      .map((d) => String(d._id))
      .filter((id) => id.startsWith(base))
      .sort();
    expect(ids).toEqual([base, `${base}#000002`, `${base}#000003`]);
    // the version that came last is current: re-sending it keeps its time
    const last = await connection
      .db!.collection<{ _id: string; c: string }>('ingestion_record_versions')
      .findOne({ _id: `${base}#000003` });
    expect(await repository.register('population', [version('p-3', last!.c)], t(3))).toEqual([t(2)]);
  });

  it('finds the current versions of re-sent records by `_id` lookups, few or many', async () => {
    const source = 'unemployment';
    const ids = Array.from({ length: 300 }, (_, i) => `u-${i}`);
    await repository.register(
      source,
      ids.map((id) => version(id, 'a')),
      t(1),
    );
    await repository.register(
      source,
      ids.slice(0, 150).map((id) => version(id, 'b')),
      t(2),
    ); // 150 re-sent: probed by `_id`
    const since = await repository.register(
      source,
      ids.map((id, i) => version(id, i < 75 ? 'b' : 'a')),
      t(3),
    ); // 300 re-sent: looked up by `_id` as well (a scan of the range grew with the lake)
    // 0–74: b again (kept from t2); 75–149: back to a (a change); 150–299: a all along (kept from t1)
    expect(since.map((d) => d.getTime())).toEqual(ids.map((_, i) => (i < 75 ? t(2) : i < 150 ? t(3) : t(1)).getTime()));
    // and a fourth look: the versions written by the third are found as the current ones
    const again = await repository.register(
      source,
      ids.slice(70, 80).map((id) => version(id, 'a')),
      t(4),
    );
    expect(again.map((d) => d.getTime())).toEqual(
      ids.slice(70, 80).map((_, i) => (70 + i < 75 ? t(4) : t(3)).getTime()),
    );
  });

  it('lists the present records a snapshot lacks by their current version, once each', async () => {
    const source = 'housing_benefit';
    await repository.register(
      source,
      [version('h-1', 'a'), version('h-2', 'a'), version('h-3', 'a'), version('h-4', 'a')],
      t(1),
    );
    await repository.register(source, [version('h-1', 'b'), version('h-2', 'b')], t(2)); // h-1, h-2 have 2 versions
    await repository.register(source, [version('h-1', 'c')], t(3)); // h-1 has 3
    await repository.register(source, [version('h-3', 'a', true)], t(4)); // h-3 retracted
    await repository.register(source, [version('h-4', 'a', true)], t(5));
    await repository.register(source, [version('h-4', 'b')], t(6)); // h-4 retracted, then delivered again
    await repository.markInSnapshot(source, 'snap', ['h-2']);
    expect(await notInSnapshot(source, 'snap')).toEqual(['h-1', 'h-4']);
    await repository.forgetSnapshot(source, 'snap');
    expect(await notInSnapshot(source, 'snap')).toEqual(['h-1', 'h-2', 'h-4']);
  });

  it('keys versions and snapshot members by a keyed hash: no record id in plaintext, nor its plain hash', async () => {
    const source = 'youth_welfare';
    const recordId = 'yw-4711-0815';
    await repository.register(source, [version(recordId, 'a')], t(1));
    await repository.markInSnapshot(source, 'snap-canary', [recordId]);
    const db = connection.db!;
    const stored = [
      ...(await db.collection('ingestion_record_versions').find({}).toArray()),
      ...(await db.collection('ingestion_snapshot_members').find({}).toArray()),
    ];
    const text = stored.map((d) => `${String(d._id)} ${JSON.stringify(d)}`).join('\n');
    expect(text).toContain(recordKeys.hash(source, recordId));
    expect(text).not.toContain('4711');
    for (const input of [recordId, `${source}\n${recordId}`, `${source}:${recordId}`])
      expect(text).not.toContain(createHash('sha256').update(input).digest('base64url'));
    expect(await notInSnapshot(source, 'other')).toEqual([recordId]); // still opens to the real id
  });
});
