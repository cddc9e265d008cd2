import { createKafka } from '@sozialmonitor/messaging';
import { createPrivateTopics, type PrivateTopics } from '@sozialmonitor/testing/private-topics';
import { freePort } from '@sozialmonitor/testing/free-port';
import { mkdtempSync, rmSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serverProcess, type ManagedProcess } from '../../tools/faults/src/processes';
import { bodyOf, keyRing, post, sampleOf, token } from '../protected-zone/support/fixtures';
import { startService, type RunningService } from '../protected-zone/support/running-service';

/**
 * Issue 11, hole 9: MongoDB down during a delivery answered 500. Ingestion runs on a PRIVATE FerretDB
 * of this test (never the shared one), which is killed; a delivery then gets 503 problem+json with
 * Retry-After — the answer that tells a source system to resend.
 */
describe('ingestion with MongoDB down', () => {
  jest.setTimeout(240_000);
  const run = randomUUID().slice(0, 8);
  const kafka = createKafka({ brokers: process.env.KAFKA_BROKERS!, clientId: `mongo-down-${run}`, log: () => undefined });
  const dir = mkdtempSync(join(tmpdir(), 'sm-mongo-down-'));
  const ingest = token();
  let ferret: ManagedProcess;
  let topics: PrivateTopics<'raw' | 'control'>;
  let service: RunningService | undefined;

  beforeAll(async () => {
    const mongoPort = await freePort();
    ferret = serverProcess('ferretdb', join(dir, 'ferretdb'), [mongoPort], dir);
    await ferret.start();
    topics = await createPrivateTopics(kafka, `test.mongo-down-${run}`, ['raw', 'control'], 1);
    const port = await freePort();
    service = await startService(
      'ingestion',
      {
        KAFKA_BROKERS: process.env.KAFKA_BROKERS!,
        MONGO_URL: `mongodb://127.0.0.1:${mongoPort}/sm_mongo_down`,
        RAW_ENCRYPTION_KEYS: keyRing('mongo-down'),
        API_TOKENS: JSON.stringify([{ name: 'feed', token: ingest, roles: ['ingest'] }]),
        INGESTION_PORT: String(port),
        RAW_TOPIC: topics.names.raw,
        CONTROL_TOPIC: topics.names.control,
        LOG_LEVEL: 'warn',
      },
      port,
    );
  });

  afterAll(async () => {
    await service?.stop();
    await ferret?.stop().catch(() => undefined);
    await topics?.remove().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers a snapshot delivery and a completion 503 with Retry-After, not 500', async () => {
    const auth = { authorization: `Bearer ${ingest}`, 'content-type': 'application/json' };
    const body = bodyOf('population', [sampleOf('population', 'md-1')], 'json');
    // up: accepted
    expect((await post(`${service!.url}/api/v1/sources/population/records`, body, auth)).status).toBe(202);
    ferret.kill('SIGKILL');
    const delivery = await fetch(`${service!.url}/api/v1/sources/population/records?mode=snapshot&snapshotId=s-1`, {
      method: 'POST',
      headers: auth,
      body,
    });
    expect(delivery.status).toBe(503);
    expect(delivery.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(delivery.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await delivery.text()).not.toMatch(/127\.0\.0\.1|ECONNREFUSED/);
    const completion = await fetch(`${service!.url}/api/v1/sources/population/snapshots/s-1/complete`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ingest}` },
    });
    expect(completion.status).toBe(503);
  });
});
