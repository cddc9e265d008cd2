import { fromParquet } from '@sozialmonitor/platform';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifySignature } from '../src/domain/webhook-subscription';
import { WebhookDispatcher } from '../src/application/webhook-dispatcher';
import {
  API_TOKENS,
  baseEnv,
  cleanUp,
  COUNTY,
  ELMSHORN,
  get,
  isolatedNames,
  KpiProducer,
  kpiValue,
  type PublicationUnderTest,
  startPublication,
  waitUntil,
} from './harness';

const ADMIN_TOKEN = 'admin-token-for-webhook-tests-0123456789';
const SGB2 = 'sgb2_rate_pct';
const BIRTHS = 'births_per_1000';
const APPEN = '01056001';

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A receiver on 127.0.0.1: `/ok` answers 200, `/flaky` 500 to its first request, `/down` always 500. */
class Receiver {
  readonly received: Received[] = [];
  private flaked = false;
  private server?: Server;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const path = req.url ?? '';
        this.received.push({ path, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        const fail = path === '/down' || (path === '/flaky' && !this.flaked);
        if (path === '/flaky') this.flaked = true;
        res.writeHead(fail ? 500 : 204).end();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  at(path: string): Received[] {
    return this.received.filter((r) => r.path === path);
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((r) => this.server?.close(r));
  }
}

const admin = { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' };
async function post(base: string, path: string, body: unknown, headers: Record<string, string> = admin) {
  const res = await fetch(base + path, { method: 'POST', headers, body: JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, json: <T>() => JSON.parse(text) as T };
}

interface DeliveryView {
  id: string;
  subscriptionId: string;
  key: string;
  status: string;
  attempts: number;
  lastResult?: string;
}

describe('webhooks (subscriptions, signed CloudEvents, retries, dead letters) and the public values export', () => {
  const names = isolatedNames('webhooks');
  const receiver = new Receiver();
  let env: Record<string, string>;
  let pub: PublicationUnderTest;
  let producer: KpiProducer;
  const deliveries = async (query = '') =>
    (await get(pub.url, `/api/v1/admin/webhook-deliveries${query}`, admin)).json<{ deliveries: DeliveryView[] }>().deliveries;
  const valueOf = async (indicator: string, region: string) =>
    (await get(pub.url, `/api/v1/indicators/${indicator}/values?region=${region}&from=2023&to=2023`)).json<{
      values: { value: number | null }[];
    }>().values[0]?.value;

  beforeAll(async () => {
    await receiver.start();
    const tokens = [...(JSON.parse(API_TOKENS) as object[]), { name: 'test-admin', token: ADMIN_TOKEN, roles: ['admin'] }];
    env = baseEnv(names, {
      API_TOKENS: JSON.stringify(tokens),
      WEBHOOK_MAX_ATTEMPTS: '3',
      WEBHOOK_RETRY_BASE_MS: '50',
      WEBHOOK_POLL_MS: '50',
      WEBHOOK_TIMEOUT_MS: '2000',
    });
    pub = await startPublication(env);
    producer = new KpiProducer(pub.topic);
    // the value before any subscription: the threshold compares the next publication with it
    await producer.publish([kpiValue({ indicatorId: SGB2, regionCode: ELMSHORN, period: '2023', unit: '%', value: 10 })]);
    await waitUntil(async () => (await valueOf(SGB2, ELMSHORN)) === 10, 'first value in the read model');
  });

  afterAll(async () => {
    await producer?.disconnect();
    await pub?.close();
    await receiver.stop();
    await cleanUp(env, names.prefix);
  });

  it('refuses bad subscriptions with every problem, and callers without the admin role', async () => {
    const bad = await post(pub.url, '/api/v1/admin/subscriptions', { url: 'file:///etc/passwd', indicators: ['nope'], threshold: 0 });
    expect(bad.status).toBe(400);
    expect(bad.json<{ errors: { field: string }[] }>().errors.map((e) => e.field).sort()).toEqual(['indicators', 'threshold', 'url']);
    const anonymous = await post(pub.url, '/api/v1/admin/subscriptions', { url: `${receiver.url}/ok` }, { 'content-type': 'application/json' });
    expect(anonymous.status).toBe(401);
  });

  it('delivers exactly the matching changes, signed, retried after a 500, dead after the last attempt', async () => {
    // A: Elmshorn's SGB-II rate, changes of at least 0.5 points (secret generated, shown once)
    const a = await post(pub.url, '/api/v1/admin/subscriptions', {
      url: `${receiver.url}/ok`,
      indicators: [SGB2],
      regions: [ELMSHORN],
      threshold: 0.5,
      description: 'Sozialplanung Elmshorn',
    });
    expect(a.status).toBe(201);
    const { subscription: subA, secret: secretA } = a.json<{ subscription: { id: string }; secret: string }>();
    expect(secretA).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // B: births everywhere, no threshold; its receiver fails once
    const secretB = 'supplied-secret-of-the-subscriber-B-0123';
    const b = await post(pub.url, '/api/v1/admin/subscriptions', { url: `${receiver.url}/flaky`, indicators: [BIRTHS], secret: secretB });
    expect(b.status).toBe(201);
    expect(b.json<Record<string, unknown>>().secret).toBeUndefined(); // a supplied secret is not echoed
    const subB = b.json<{ subscription: { id: string } }>().subscription;
    // C: births of the county; its receiver is down
    const c = await post(pub.url, '/api/v1/admin/subscriptions', { url: `${receiver.url}/down`, indicators: [BIRTHS], regions: [COUNTY] });
    const subC = c.json<{ subscription: { id: string } }>().subscription;
    const listed = (await get(pub.url, '/api/v1/admin/subscriptions', admin)).text;
    expect(listed).not.toContain(secretA);
    expect(listed).not.toContain(secretB);

    // 10 → 10.3: below the threshold
    await producer.publish([kpiValue({ indicatorId: SGB2, regionCode: ELMSHORN, period: '2023', unit: '%', value: 10.3 })]);
    await waitUntil(async () => (await valueOf(SGB2, ELMSHORN)) === 10.3, 'second value in the read model');
    // 10.3 → 10.8: a change of 0.5 points; Appen's rate matches no subscription; births go to B (and C)
    await producer.publish([
      kpiValue({ indicatorId: SGB2, regionCode: ELMSHORN, period: '2023', unit: '%', value: 10.8 }),
      kpiValue({ indicatorId: SGB2, regionCode: APPEN, period: '2023', unit: '%', value: 30 }),
      kpiValue({ indicatorId: BIRTHS, regionCode: ELMSHORN, period: '2023', value: 8.41 }),
      kpiValue({ indicatorId: BIRTHS, regionCode: COUNTY, period: '2023', value: 8.12 }),
    ]);

    const settled = async () => {
      const all = await deliveries();
      return all.length === 4 && all.every((d) => d.status !== 'pending') ? all : undefined;
    };
    const all = await waitUntil(settled, 'every delivery delivered or dead');
    // once more through the dispatcher: nothing new is sent
    await pub.app.get(WebhookDispatcher).dispatchDue();

    const toA = receiver.at('/ok');
    expect(toA).toHaveLength(1);
    expect(toA[0].headers['ce-subject']).toBe(`${SGB2}:${ELMSHORN}:2023`);
    expect(toA[0].headers['ce-specversion']).toBe('1.0');
    expect(toA[0].headers['ce-type']).toBe('de.sozialmonitor.kpi.value.v1');
    expect(toA[0].headers['content-type']).toMatch(/^application\/json/);
    expect(toA[0].headers['x-sozialmonitor-subscription']).toBe(subA.id);
    expect(JSON.parse(toA[0].body)).toMatchObject({ indicatorId: SGB2, value: 10.8, region: { code: ELMSHORN } });
    expect(verifySignature(secretA, toA[0].body, toA[0].headers['x-sozialmonitor-signature'] as string)).toBe(true);
    expect(verifySignature(secretB, toA[0].body, toA[0].headers['x-sozialmonitor-signature'] as string)).toBe(false);

    // B: two events, the first attempt answered 500 and tried again: three requests, two distinct events
    const toB = receiver.at('/flaky');
    expect(toB).toHaveLength(3);
    expect(new Set(toB.map((r) => r.headers['ce-subject']))).toEqual(new Set([`${BIRTHS}:${ELMSHORN}:2023`, `${BIRTHS}:${COUNTY}:2023`]));
    for (const r of toB) expect(verifySignature(secretB, r.body, r.headers['x-sozialmonitor-signature'] as string)).toBe(true);
    const ofB = all.filter((d) => d.subscriptionId === subB.id);
    expect(ofB.map((d) => d.status)).toEqual(['delivered', 'delivered']);
    expect(ofB.map((d) => d.attempts).sort()).toEqual([1, 2]);

    // C: three attempts, then a dead letter the admin sees
    expect(receiver.at('/down')).toHaveLength(3);
    const dead = await deliveries('?status=dead');
    expect(dead).toEqual([expect.objectContaining({ subscriptionId: subC.id, key: `${BIRTHS}:${COUNTY}:2023`, attempts: 3, lastResult: 'HTTP 500' })]);

    // re-driving the dead letter sends it again (three more attempts against the receiver that is still down)
    expect((await post(pub.url, `/api/v1/admin/webhook-deliveries/${dead[0].id}/redeliver`, {})).status).toBe(202);
    await waitUntil(async () => receiver.at('/down').length === 6 && (await deliveries('?status=dead')).length === 1, 'redriven');
    const metrics = await (await fetch(`${pub.url}/metrics`)).text();
    expect(metrics).toMatch(/^sozialmonitor_webhook_attempts_total\{outcome="dead",service="publication"\} 2$/m);
    expect(metrics).toMatch(/^sozialmonitor_webhook_attempts_total\{outcome="delivered",service="publication"\} 3$/m);
  });

  it('replays the webhook group from a time: what matched is delivered again, as new deliveries of the same events', async () => {
    const before = { ok: receiver.at('/ok').length, flaky: receiver.at('/flaky').length, deliveries: (await deliveries()).length };
    const plan = await post(pub.url, '/api/v1/admin/webhook-replays', { from: 'earliest', dryRun: true });
    expect(plan.status).toBe(202);
    expect(plan.json<{ state: string }>().state).toBe('planned');
    expect((await post(pub.url, '/api/v1/admin/webhook-replays', { from: 'yesterday' })).status).toBe(400);
    expect(receiver.at('/ok')).toHaveLength(before.ok); // a plan and a refused request change nothing

    const started = await post(pub.url, '/api/v1/admin/webhook-replays', { from: 'earliest' });
    expect(started.status).toBe(202);
    const { replayId } = started.json<{ replayId: string }>();
    await waitUntil(
      async () => (await get(pub.url, `/api/v1/admin/webhook-replays/${replayId}`, admin)).json<{ state: string }>().state === 'finished',
      'the webhook replay finished',
    );
    await waitUntil(async () => receiver.at('/ok').length > before.ok && receiver.at('/flaky').length >= before.flaky + 2, 'delivered again');
    // A: its one matching change once more — the same event (ce-id), signed
    const againA = receiver.at('/ok').slice(before.ok);
    expect(againA).toHaveLength(1);
    expect(againA[0].headers['ce-id']).toBe(receiver.at('/ok')[0].headers['ce-id']);
    expect(JSON.parse(againA[0].body)).toMatchObject({ indicatorId: SGB2, value: 10.8 });
    // B: its two events again; every subscription's matches are new deliveries, the old ones are kept
    expect(new Set(receiver.at('/flaky').slice(before.flaky).map((r) => r.headers['ce-subject']))).toEqual(
      new Set([`${BIRTHS}:${ELMSHORN}:2023`, `${BIRTHS}:${COUNTY}:2023`]),
    );
    await waitUntil(async () => (await deliveries()).length === before.deliveries + 4, 'four new deliveries');
  });

  it('exports the published values as Parquet and CSV with a metadata file (public)', async () => {
    const base = `${pub.url}/api/v1/downloads`;
    const parquet = await fetch(`${base}/values.parquet?from=2023&to=2023`);
    expect(parquet.status).toBe(200);
    expect(parquet.headers.get('content-type')).toBe('application/vnd.apache.parquet');
    const rows = fromParquet(new Uint8Array(await parquet.arrayBuffer()));
    expect(rows).toContainEqual(
      expect.objectContaining({ indicator: SGB2, region_code: ELMSHORN, period: '2023', value: 10.8, suppressed: false, revised: true }),
    );
    const csv = await (await fetch(`${base}/values.csv?from=2023&to=2023`)).text();
    expect(csv.trimEnd().split('\r\n')).toHaveLength(rows.length + 1);
    const metadata = (await (await fetch(`${base}/values.metadata.json?from=2023&to=2023`)).json()) as {
      counts: { rows: number };
      columns: { name: string }[];
      units: Record<string, string>;
      k: null;
    };
    expect(metadata.counts.rows).toBe(rows.length);
    expect(metadata.columns.map((c) => c.name)).toEqual(Object.keys(rows[0]));
    expect(metadata.units[SGB2]).toBe('%');
    expect((await fetch(`${base}/values.xlsx`)).status).toBe(404);
    expect((await fetch(`${base}/values.csv?region=${ELMSHORN}`)).status).toBe(400);
  });
});
