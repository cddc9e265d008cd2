import { EVENT_TYPES, TOPICS } from '@sozialmonitor/contracts';
import { EventPublisher, readTopic } from '@sozialmonitor/messaging';
import Redis from 'ioredis';
import type { Manifest } from '../../generator/src/generate';
import type { ManagedProcess } from './processes';
import type { PrivateInfra, Stack, App, ServiceInstance } from './stack';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** Where the load is: faults wait for a share of the files to be delivered. */
export class LoadProgress {
  private index = 0;
  private total = 1;
  private waiters: { share: number; resolve: () => void }[] = [];
  /** Deliveries ingestion answered 503 so far. */
  refused = 0;
  onFile(index: number, total: number): void {
    this.index = index;
    this.total = total;
    this.release();
  }
  finished(): void {
    this.index = this.total;
    this.release();
  }
  /** Resolves once `share` (0…1) of the files have started (or the load is over). */
  reach(share: number): Promise<void> {
    return new Promise((resolve) => {
      this.waiters.push({ share, resolve });
      this.release();
    });
  }
  private release() {
    this.waiters = this.waiters.filter((w) => (this.index >= w.share * this.total ? (w.resolve(), false) : true));
  }
}

export interface ScenarioContext {
  stack: Stack;
  infra: PrivateInfra;
  manifest: Manifest;
  progress: LoadProgress;
  /** Notes and failures a scenario reports beside the comparison. */
  notes: string[];
  failures: string[];
  /** Recovery times measured by the faults. */
  recoveries: string[];
  /** ingestion's own FerretDB, for scenarios with `ownIngestionStore`. */
  ingestionStore?: ManagedProcess;
  /** More table rows (a second phase reported on its own). */
  extraRows: { scenario: string; lost: number; differing: number; recovery: string; failures: string[]; notes: string[] }[];
}

export interface Scenario {
  id: string;
  title: string;
  /** Part of the subset `npm test` runs. */
  fast: boolean;
  instances?: Partial<Record<App, number>>;
  /** ingestion gets a FerretDB of its own (ctx.ingestionStore) that the scenario can break. */
  ownIngestionStore?: boolean;
  /** Runs beside the load (faults injected mid-load); the load waits for nothing of it. */
  during?(ctx: ScenarioContext): Promise<void>;
  /** After the load was accepted and the fault track ended, before settling. */
  afterLoad?(ctx: ScenarioContext): Promise<void>;
  /** After settling, before the snapshot is compared (checks of its own). */
  settled?(ctx: ScenarioContext): Promise<void>;
  /**
   * After the comparison: a second phase on the same settled stack. `recheck` settles, takes a new
   * snapshot and returns how many values differ from the clean run's.
   */
  afterCompare?(ctx: ScenarioContext, recheck: () => Promise<{ lost: number; differing: number }>): Promise<void>;
}

/** Waits until every running service answers ready; returns the milliseconds since `since`. */
async function allReady(stack: Stack, since: number, timeoutMs = 180_000): Promise<number> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const states = await Promise.all(
      stack.services
        .filter((s) => s.process.running)
        .map((s) => fetch(`${s.url}/health/ready`).then((r) => r.status === 200, () => false)),
    );
    if (states.every(Boolean)) return Date.now() - since;
    if (Date.now() > end) throw new Error('services not ready again within 180 s after the fault');
    await sleep(250);
  }
}

async function killAndRestart(ctx: ScenarioContext, service: ServiceInstance, signal: NodeJS.Signals): Promise<void> {
  const stopped = await service.process.stop(signal, 30_000);
  if (signal === 'SIGTERM') {
    // A graceful shutdown ends with Nest raising the signal again (exit by SIGTERM); the services' own
    // guard ends a shutdown that hangs after 10 s with exit code 0. 1 s of slack for this measurement.
    const how = stopped.signal === 'SIGTERM' ? 'graceful' : stopped.code === 0 ? 'forced by its 10 s guard' : `exit code ${stopped.code}`;
    ctx.notes.push(`${service.app} exited ${seconds(stopped.ms)} after SIGTERM (${how})`);
    if (stopped.forced || stopped.ms > 11_000) ctx.failures.push(`${service.app} took ${seconds(stopped.ms)} to exit on SIGTERM (limit 10 s)`);
    else if (stopped.signal !== 'SIGTERM' && stopped.code !== 0) ctx.failures.push(`${service.app} exited with code ${stopped.code} on SIGTERM`);
  }
  const ms = await service.process.start();
  ctx.recoveries.push(`${service.app} ${seconds(ms)}`);
}

/** Sends `signal` to ingestion, anonymization, kpi-calculation and publication at 20/40/60/80 % of the load, restarting each. */
async function eachServiceInTurn(ctx: ScenarioContext, signal: NodeJS.Signals): Promise<void> {
  for (const [share, app] of [[0.2, 'ingestion'], [0.4, 'anonymization'], [0.6, 'kpi-calculation'], [0.8, 'publication']] as const) {
    await ctx.progress.reach(share);
    await killAndRestart(ctx, ctx.stack.first(app), signal);
  }
}

/** Stops a server (SIGTERM), keeps it down for `downMs`, starts it on the same data; recovery = until every service is ready again. */
async function bounceServer(ctx: ScenarioContext, server: ManagedProcess, downMs: number): Promise<void> {
  await server.stop('SIGTERM', 30_000);
  await sleep(downMs);
  await server.start();
  const ms = await allReady(ctx.stack, Date.now());
  ctx.recoveries.push(`${server.spec.name} back, services ready after ${seconds(ms)}`);
}

/** The leading kpi-calculation instance (its metric sozialmonitor_kpi_publisher is 1). */
async function leaderOf(stack: Stack): Promise<ServiceInstance | undefined> {
  for (const s of stack.instances('kpi-calculation').filter((i) => i.process.running)) {
    const page = await (await fetch(`${s.url}/metrics`)).text();
    if (/^sozialmonitor_kpi_publisher(\{[^}]*\})? 1$/m.test(page)) return s;
  }
  return undefined;
}

export const SCENARIOS: Scenario[] = [
  { id: 'clean', title: 'clean run (reference)', fast: true },
  {
    id: 'kill9',
    title: 'kill -9 of each service mid-load, restarted',
    fast: true,
    during: (ctx) => eachServiceInTurn(ctx, 'SIGKILL'),
  },
  {
    id: 'sigterm',
    title: 'SIGTERM to each service under load (exit <= 10 s), restarted',
    fast: false,
    during: (ctx) => eachServiceInTurn(ctx, 'SIGTERM'),
  },
  {
    id: 'poison',
    title: 'a poison message in the raw, lake and KPI topics',
    // dead-lettering is covered by libs/messaging's integration test too: --all only
    fast: false,
    async during(ctx) {
      await ctx.progress.reach(0.5);
      const t = ctx.stack.topics.names;
      const publisher = new EventPublisher(ctx.stack.kafka);
      const poison = (topic: string, kind: string, type: string) => ({
        topic,
        key: `poison:${kind}`,
        id: `poison-${kind}`,
        type,
        source: '/sozialmonitor/fault-suite',
        data: { poison: kind },
      });
      await publisher.publish([
        poison(t.raw, 'raw', EVENT_TYPES.rawRecord),
        poison(t.lake, 'lake', EVENT_TYPES.lakeRecord),
        poison(t.kpiValues, 'kpi', EVENT_TYPES.kpiValue),
      ]);
      await publisher.disconnect();
    },
    async settled(ctx) {
      const t = ctx.stack.topics.names;
      const letters = (await readTopic(ctx.stack.kafka, TOPICS.deadLetter, { timeoutMs: 60_000 })).filter((e) => e.key?.startsWith('poison:') || [t.raw, t.lake, t.kpiValues].includes(e.headers.sm_dlq_topic));
      for (const [topic, service] of [[t.raw, 'anonymization'], [t.lake, 'kpi-calculation'], [t.kpiValues, 'publication']]) {
        const mine = letters.filter((e) => e.headers.sm_dlq_topic === topic);
        if (mine.length !== 1) ctx.failures.push(`${mine.length} dead letters of ${topic} (expected exactly 1, the poison)`);
        else if (mine[0].headers.sm_dlq_service !== service || !mine[0].headers.sm_dlq_error)
          ctx.failures.push(`the dead letter of ${topic} lacks its service or reason: ${JSON.stringify(mine[0].headers)}`);
        else ctx.notes.push(`${service}: ${mine[0].headers.sm_dlq_error.slice(0, 60)}`);
      }
    },
  },
  {
    id: 'kafka',
    title: 'Kafka broker stopped and restarted mid-load',
    fast: true,
    async during(ctx) {
      await ctx.progress.reach(0.4);
      await bounceServer(ctx, ctx.infra.kafka, 5000);
    },
  },
  {
    id: 'ferretdb',
    title: 'FerretDB stopped and restarted mid-load',
    fast: false,
    async during(ctx) {
      await ctx.progress.reach(0.4);
      await bounceServer(ctx, ctx.infra.ferretdb, 5000);
    },
  },
  {
    id: 'redis',
    title: 'Redis stopped (API answers from memory), started again (cache used)',
    fast: false,
    async during(ctx) {
      await ctx.progress.reach(0.3);
      await ctx.infra.redis.stop('SIGTERM', 10_000);
    },
    // The runner's comparison ran with Redis down: the API answered correctly from memory.
    async afterCompare(ctx, recheck) {
      const started = Date.now();
      await ctx.infra.redis.start();
      const prefix = `faults:${ctx.stack.options.prefix}:publication`;
      const publication = ctx.stack.live('publication');
      for (;;) {
        await fetch(`${publication.url}/api/v1/indicators/population/values?date=today`);
        if ((await cacheEntries(ctx.infra.redisUrl, prefix)) > 0) break;
        if (Date.now() - started > 120_000) {
          ctx.failures.push('publication did not use the cache again within 120 s after Redis came back');
          break;
        }
        await sleep(500);
      }
      ctx.recoveries.push(`cache used again ${seconds(Date.now() - started)} after Redis started`);
      const again = await recheck();
      if (again.differing > 0) ctx.failures.push(`${again.differing} values differ after Redis came back`);
      ctx.notes.push('answers right with Redis down and after');
    },
  },
  {
    id: 'scaled',
    title: 'two instances each of anonymization, kpi-calculation, publication; one of each killed',
    fast: false,
    instances: { 'anonymization': 2, 'kpi-calculation': 2, 'publication': 2 },
    async during(ctx) {
      await ctx.progress.reach(0.5);
      const leader = await leaderOf(ctx.stack);
      if (!leader) ctx.failures.push('no kpi-calculation instance led at mid-load');
      const victims = [ctx.stack.first('anonymization'), leader ?? ctx.stack.first('kpi-calculation'), ctx.stack.first('publication')];
      const killed = Date.now();
      await Promise.all(victims.map((v) => v.process.stop('SIGKILL')));
      ctx.notes.push(`killed ${victims.map((v) => v.name).join(', ')}`);
      for (;;) {
        const next = await leaderOf(ctx.stack);
        if (next && next !== leader) {
          ctx.recoveries.push(`lease moved after ${seconds(Date.now() - killed)}`);
          break;
        }
        if (Date.now() - killed > 120_000) {
          ctx.failures.push('the lease did not move to the surviving kpi-calculation within 120 s');
          break;
        }
        await sleep(250);
      }
    },
    /** Replay of kpi-calculation from `earliest`, asked of the instance that does not lead, while two run. */
    async afterCompare(ctx, recheck) {
      const killed = ctx.stack.instances('kpi-calculation').find((s) => !s.process.running);
      if (killed) await killed.process.start();
      await sleep(3000); // the restarted instance follows
      const follower = ctx.stack.instances('kpi-calculation').find((s) => s.process.running && s !== undefined);
      const leader = await leaderOf(ctx.stack);
      const asked = ctx.stack.instances('kpi-calculation').find((s) => s.process.running && s !== leader) ?? follower!;
      const t = ctx.stack.topics.names;
      const before = (await readTopic(ctx.stack.kafka, t.kpiValues, { timeoutMs: 60_000 })).length;
      const started = Date.now();
      const failures: string[] = [];
      const res = await fetch(`${asked.url}/api/v1/admin/replays`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ctx.stack.options.secrets.admin}`, 'content-type': 'application/json' },
        body: JSON.stringify({ topic: t.lake, from: 'earliest' }),
      });
      const body = (await res.json()) as { replayId?: string; detail?: string };
      let recovery = '—';
      if (res.status !== 202 || !body.replayId) failures.push(`replay asked of ${asked.name} answered ${res.status}: ${JSON.stringify(body).slice(0, 200)}`);
      else {
        for (;;) {
          const status = (await (await fetch(`${asked.url}/api/v1/admin/replays/${body.replayId}`, { headers: { authorization: `Bearer ${ctx.stack.options.secrets.admin}` } })).json()) as { state: string; error?: string };
          if (status.state === 'finished') break;
          if (status.state === 'failed' || Date.now() - started > 300_000) {
            failures.push(`replay ${status.state}: ${status.error ?? 'not finished within 300 s'}`);
            break;
          }
          await sleep(1000);
        }
        recovery = `replay finished in ${seconds(Date.now() - started)}`;
      }
      const again = await recheck();
      const after = (await readTopic(ctx.stack.kafka, t.kpiValues, { timeoutMs: 60_000 })).length;
      if (after !== before) failures.push(`the replay published ${after - before} new kpi.values events (expected none)`);
      ctx.extraRows.push({
        scenario: 'replay of kpi-calculation from earliest (admin API, asked of the follower, two instances)',
        lost: again.lost,
        differing: again.differing,
        recovery,
        failures,
        notes: [`${after - before} new KPI events`],
      });
    },
  },
  {
    id: 'readonly',
    title: "ingestion's store read-only (full disk) mid-load: 503, never accepted and lost",
    fast: false,
    ownIngestionStore: true,
    async during(ctx) {
      await ctx.progress.reach(0.3);
      const store = ctx.ingestionStore!;
      // FerretDB's SQLite files refuse every write (PRAGMA query_only): as a full or read-only disk
      // would. Root ignores file permissions and a full-disk loop mount needs privileges, hence a pragma.
      await store.stop('SIGTERM', 20_000);
      store.spec.env.FERRETDB_EXTRA_PRAGMA = 'query_only(1)';
      await store.start();
      const since = Date.now();
      const before = ctx.progress.refused;
      while (ctx.progress.refused - before < 2 && Date.now() - since < 90_000) await sleep(500);
      const refused = ctx.progress.refused - before;
      if (refused === 0) ctx.failures.push('no delivery was refused while the store was read-only');
      ctx.notes.push(`${refused} deliveries answered 503 while read-only`);
      await store.stop('SIGTERM', 20_000);
      delete store.spec.env.FERRETDB_EXTRA_PRAGMA;
      await store.start();
      ctx.recoveries.push(`writable again, services ready after ${seconds(await allReady(ctx.stack, Date.now()))}`);
    },
  },
];

/** Redis helper for the Redis scenario: how many cache entries publication holds under its prefix. */
export async function cacheEntries(redisUrl: string, prefix: string): Promise<number> {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    return (await redis.keys(`${prefix}*`)).length;
  } finally {
    redis.disconnect();
  }
}
