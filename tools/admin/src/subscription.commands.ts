/**
 * `sozialmonitor-admin subscription …` — webhook subscriptions (publication's /api/v1/admin/subscriptions):
 * add, list, show, remove; deliveries and dead letters; re-deliver a dead one.
 */
import { type Command, InvalidArgumentError } from 'commander';
import type { JsonAnswer, PublicationPaths } from '@sozialmonitor/contracts/http';
import { type Call, out } from './catalog.commands';

type Created = JsonAnswer<PublicationPaths, '/api/v1/admin/subscriptions', 'post', 201>;
type Listed = JsonAnswer<PublicationPaths, '/api/v1/admin/subscriptions'>;
type One = JsonAnswer<PublicationPaths, '/api/v1/admin/subscriptions/{id}'>;
type Deliveries = JsonAnswer<PublicationPaths, '/api/v1/admin/webhook-deliveries'>;

const SERVICE = 'publication';
const BASE = '/api/v1/admin';

const collect = (value: string, previous: string[] = []) => [...previous, ...value.split(',').filter(Boolean)];
const positiveNumber = (v: string): number => {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('a positive number');
  return n;
};
const all = (list: readonly string[]) => (list.length ? list.join(',') : 'all');

export function registerSubscriptionCommands(program: Command, call: Call): void {
  const sub = program
    .command('subscription')
    .description('webhook subscriptions: add, list, show, remove, deliveries, redeliver, replay (publication)');

  sub
    .command('add')
    .description('registers a receiver URL; published values matching the filters are POSTed to it as signed CloudEvents')
    .argument('<url>', 'http or https URL of the receiver')
    .option('--indicator <ids>', 'indicator id (repeatable or comma-separated; default: all)', collect)
    .option('--region <codes>', 'municipality AGS or 01056 (repeatable or comma-separated; default: all)', collect)
    .option('--threshold <n>', 'only changes of at least n (indicator unit) against the previous publication', positiveNumber)
    .option('--description <text>', 'who receives it and why')
    .option('--secret <secret>', 'HMAC key to sign with (default: generated and printed once)')
    .option('--json', 'print the answer as JSON')
    .action(
      async (
        url: string,
        o: { indicator?: string[]; region?: string[]; threshold?: number; description?: string; secret?: string; json?: boolean },
      ) => {
        const r = (await call(SERVICE, 'POST', `${BASE}/subscriptions`, {
          url,
          ...(o.indicator ? { indicators: o.indicator } : {}),
          ...(o.region ? { regions: o.region } : {}),
          ...(o.threshold !== undefined ? { threshold: o.threshold } : {}),
          ...(o.description ? { description: o.description } : {}),
          ...(o.secret ? { secret: o.secret } : {}),
        })) as Created;
        out(!!o.json, r, () => {
          console.log(`subscription ${r.subscription.id} → ${r.subscription.url}`);
          if (r.secret) console.log(`secret (shown only now; the receiver verifies X-Sozialmonitor-Signature with it): ${r.secret}`);
        });
      },
    );

  sub
    .command('list')
    .description('every subscription (never the secrets)')
    .option('--json', 'print the answer as JSON')
    .action(async (o: { json?: boolean }) => {
      const r = (await call(SERVICE, 'GET', `${BASE}/subscriptions`)) as Listed;
      out(!!o.json, r, () =>
        console.table(
          r.subscriptions.map((s) => ({
            id: s.id,
            url: s.url,
            indicators: all(s.indicators),
            regions: all(s.regions),
            threshold: s.threshold ?? '',
            by: s.createdBy,
            at: s.createdAt,
          })),
        ),
      );
    });

  sub
    .command('show')
    .argument('<id>', 'subscription id')
    .action(async (id: string) => {
      const r = (await call(SERVICE, 'GET', `${BASE}/subscriptions/${encodeURIComponent(id)}`)) as One;
      console.log(JSON.stringify(r, null, 2));
    });

  sub
    .command('remove')
    .argument('<id>', 'subscription id')
    .action(async (id: string) => {
      await call(SERVICE, 'DELETE', `${BASE}/subscriptions/${encodeURIComponent(id)}`);
      console.log(`removed ${id}`);
    });

  sub
    .command('deliveries')
    .description('deliveries, newest first: status, attempts, last result; --dead lists the dead letters')
    .option('--subscription <id>', 'one subscription')
    .option('--dead', 'only dead letters')
    .option('--limit <n>', 'newest n', '100')
    .option('--json', 'print the answer as JSON')
    .action(async (o: { subscription?: string; dead?: boolean; limit: string; json?: boolean }) => {
      const q = new URLSearchParams({ limit: o.limit });
      if (o.subscription) q.set('subscription', o.subscription);
      if (o.dead) q.set('status', 'dead');
      const r = (await call(SERVICE, 'GET', `${BASE}/webhook-deliveries?${q.toString()}`)) as Deliveries;
      out(!!o.json, r, () =>
        console.table(
          r.deliveries.map((d) => ({
            id: d.id,
            subscription: d.subscriptionId.slice(0, 8),
            value: d.key,
            status: d.status,
            attempts: d.attempts,
            last: d.lastResult ?? '',
          })),
        ),
      );
    });

  sub
    .command('redeliver')
    .description('sends a dead delivery again')
    .argument('<id>', 'delivery id (from `deliveries --dead`)')
    .action(async (id: string) => {
      await call(SERVICE, 'POST', `${BASE}/webhook-deliveries/${encodeURIComponent(id)}/redeliver`);
      console.log(`queued ${id} again`);
    });

  sub
    .command('replay')
    .description('replays the webhook consumer group from a time: every matching value since is delivered again (e.g. after a receiver outage)')
    .argument('<from>', '`earliest` or an RFC 3339 time')
    .option('--dry-run', 'only show the target offsets')
    .option('--json', 'print the answer as JSON')
    .action(async (from: string, o: { dryRun?: boolean; json?: boolean }) => {
      const r = (await call(SERVICE, 'POST', `${BASE}/webhook-replays`, { from, dryRun: o.dryRun === true })) as {
        replayId: string;
        state: string;
        positions: unknown[];
      };
      out(!!o.json, r, () => console.log(`webhook replay ${r.replayId}: ${r.state} (${r.positions.length} partitions)`));
    });
}
