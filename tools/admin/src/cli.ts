/**
 * sozialmonitor-admin — the command-line client of the administration endpoints (api.md).
 *
 *   node tools/run-ts.js tools/admin/src/cli.ts --help
 *
 * Token: SOZIALMONITOR_ADMIN_TOKEN, --token-file <path>, --token-stdin, or the demo admin token of a local
 * stack — never an argument (visible in ps; admin-token.ts).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SingleBar } from 'cli-progress';
import { Command, InvalidArgumentError, Option } from 'commander';
import { resolveAdminToken } from './admin-token';
import { registerCatalogCommands } from './catalog.commands';
import { registerSubscriptionCommands } from './subscription.commands';
import { registerSourceCommands } from './source.commands';
import { registerEmbargoCommands, registerReportCommands } from './report.commands';
import type { AdminPaths, JsonAnswer, JsonRequest } from '@sozialmonitor/contracts/http';

// The answers as the services' OpenAPI documents declare them (generated types: a drift fails the compile).
type ConsumerGroup = JsonAnswer<AdminPaths, '/api/v1/admin/consumer-groups'>;
type ReplayRequest = JsonRequest<AdminPaths, '/api/v1/admin/replays'>;
type ReplayStatus = JsonAnswer<AdminPaths, '/api/v1/admin/replays/{id}'>;
type ReplayStarted = JsonAnswer<AdminPaths, '/api/v1/admin/replays', 'post', 202>;
type ReplayAudit = JsonAnswer<AdminPaths, '/api/v1/admin/replays'>;
type DeadLetters = JsonAnswer<AdminPaths, '/api/v1/admin/dead-letters'>;
type RedriveRequest = JsonRequest<AdminPaths, '/api/v1/admin/dead-letters/redrive'>;
type RedriveResult = JsonAnswer<AdminPaths, '/api/v1/admin/dead-letters/redrive', 'post'>;

const SERVICES: Record<string, number> = {
  ingestion: 3001,
  anonymization: 3002,
  'kpi-calculation': 3003,
  publication: 3000,
};

function demoAdminToken(): string | undefined {
  const file = join(__dirname, '../../../.local/run/demo-secrets.env');
  if (!existsSync(file)) return undefined;
  const line = readFileSync(file, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('API_TOKENS='));
  const tokens = line ? (JSON.parse(line.slice('API_TOKENS='.length)) as { token: string; roles: string[] }[]) : [];
  return tokens.find((t) => t.roles.includes('admin'))?.token;
}

function service(name: string): string {
  if (!(name in SERVICES)) throw new InvalidArgumentError(`one of ${Object.keys(SERVICES).join(', ')}`);
  return name;
}

const program = new Command()
  .name('sozialmonitor-admin')
  .description('Administer Sozialmonitor: consumer lag, replays, dead letters, the indicator catalogue, source declarations.')
  .option('--token-file <path>', 'file whose first line is the admin token (default: $SOZIALMONITOR_ADMIN_TOKEN or the local demo admin token)')
  .option('--token-stdin', 'read the admin token from the first line of standard input')
  .addOption(new Option('--token <token>', 'refused: visible in ps').hideHelp())
  .option('--host <url>', 'base URL pattern; {port} is replaced by the service port', 'http://127.0.0.1:{port}')
  .showHelpAfterError();

let adminToken: string | undefined;

async function call(svc: string, method: string, path: string, body?: unknown): Promise<unknown> {
  const opts = program.opts<{ token?: string; tokenFile?: string; tokenStdin?: boolean; host: string }>();
  adminToken ??= resolveAdminToken({
    ...opts,
    env: process.env,
    readStdin: () => readFileSync(0, 'utf8'),
    demo: demoAdminToken,
  });
  const token = adminToken;
  const base = opts.host.replace('{port}', String(SERVICES[svc]));
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  const json = text ? JSON.parse(text) : undefined;
  if (!res.ok) {
    const p = json as { title?: string; detail?: string; errors?: { indicator?: string; path?: string; message?: string }[] } | undefined;
    // every problem of a refused catalogue draft or source declaration, one a line
    const errors = (p?.errors ?? []).filter((e) => e.message).map((e) => `\n  - ${e.path ? `${e.path}: ` : ''}${e.message}`);
    throw new Error(`${res.status} ${p?.title ?? ''}: ${p?.detail ?? text}${errors.length > 1 ? errors.join('') : ''}`);
  }
  return json;
}

program
  .command('lag')
  .description('committed offset, end and lag per partition of a service’s consumer group')
  .argument('<service>', 'anonymization | kpi-calculation | publication', service)
  .action(async (svc: string) => {
    const r = (await call(svc, 'GET', '/api/v1/admin/consumer-groups')) as ConsumerGroup;
    console.log(`group ${r.groupId}: total lag ${r.totalLag}`);
    console.table(r.partitions);
  });

program
  .command('replay')
  .description('replay a service’s input topic from a point in time, with a progress bar until it has caught up')
  .argument('<service>', 'anonymization | kpi-calculation | publication', service)
  .requiredOption('--topic <topic>', 'the consumed topic, e.g. sozialmonitor.lake.records.v1')
  .option('--from <from>', '"earliest", an ISO timestamp, or JSON offsets {"0":"15"}', 'earliest')
  .option('--dry-run', 'only show the offsets a replay would set')
  .action(async (svc: string, o: { topic: string; from: string; dryRun?: boolean }) => {
    const from = o.from.startsWith('{') ? JSON.parse(o.from) : o.from;
    const request: ReplayRequest = { topic: o.topic, from, dryRun: !!o.dryRun };
    const status = (await call(svc, 'POST', '/api/v1/admin/replays', request)) as ReplayStarted;
    console.table(status.positions);
    if (o.dryRun) return;
    const bar = new SingleBar({
      format: `replay ${status.replayId.slice(0, 8)} [{bar}] {value}/{total} messages | {state}`,
    });
    bar.start(1, 0, { state: 'pausing' });
    for (;;) {
      const s = (await call(svc, 'GET', `/api/v1/admin/replays/${status.replayId}`)) as ReplayStatus;
      bar.setTotal(Math.max(1, s.progress.total));
      bar.update(s.progress.done, { state: s.state });
      if (s.state === 'finished' || s.state === 'failed') {
        bar.stop();
        if (s.state === 'failed') throw new Error(`replay failed: ${s.error}`);
        console.log('caught up');
        return;
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
  });

program
  .command('replays')
  .description('audit log of a service’s replays (who, when, what, outcome)')
  .argument('<service>', 'anonymization | kpi-calculation | publication', service)
  .action(async (svc: string) => {
    const list = (await call(svc, 'GET', '/api/v1/admin/replays')) as ReplayAudit;
    console.table(
      list.map((r) => ({
        id: r.replayId.slice(0, 8),
        by: r.requestedBy,
        at: r.requestedAt,
        topic: r.topic,
        status: r.status ?? 'running',
        finished: r.finishedAt ?? '',
      })),
    );
  });

const dlq = program.command('dead-letters').description('dead letters of a service: list reasons, re-drive');
dlq
  .command('list')
  .argument('<service>', 'anonymization | kpi-calculation | publication', service)
  .option('--limit <n>', 'newest n', '100')
  .action(async (svc: string, o: { limit: string }) =>
    console.table(
      ((await call(svc, 'GET', `/api/v1/admin/dead-letters?limit=${encodeURIComponent(o.limit)}`)) as DeadLetters).map(
        (d) => ({ message: `${d.partition}:${d.offset}`, topic: d.originalTopic, failedAt: d.failedAt, error: d.error }),
      ),
    ),
  );
dlq
  .command('redrive')
  .argument('<service>', 'anonymization | kpi-calculation | publication', service)
  .argument('<messages...>', 'partition:offset of each dead letter')
  .action(async (svc: string, messages: string[]) => {
    const request: RedriveRequest = { messages };
    const result = (await call(svc, 'POST', '/api/v1/admin/dead-letters/redrive', request)) as RedriveResult;
    console.log(`re-driven: ${result.redriven.join(' ') || 'none'}; not dead letters of ${svc}: ${result.unknown.join(' ') || 'none'}`);
  });

registerCatalogCommands(program, call);
registerSubscriptionCommands(program, call);
registerSourceCommands(program, call);
registerReportCommands(program, call);
registerEmbargoCommands(program, call);

program.parseAsync().catch((e: Error) => {
  console.error(`error: ${e.message}`);
  process.exit(1);
});
