import { SingleBar } from 'cli-progress';
import type { DemoEndpoints } from './demo';

interface GroupLag {
  groupId: string;
  totalLag: number;
}

async function lagOf(base: string, token: string): Promise<number> {
  const res = await fetch(`${base}/api/v1/admin/consumer-groups`, { headers: { authorization: `Bearer ${token}` } });
  if (!res.ok) throw new Error(`${base}/api/v1/admin/consumer-groups answered ${res.status}`);
  return ((await res.json()) as GroupLag).totalLag;
}

/**
 * Settled = every consumer group of the pipeline has no lag on three polls in a row (a quiet stage
 * upstream may still hand work to the next one, so one quiet poll is not enough).
 */
export async function waitUntilSettled(api: DemoEndpoints, adminToken: string, timeoutMs = 30 * 60_000): Promise<void> {
  const bar = new SingleBar({ format: '  pipeline lag {lag} messages | {stage} | {duration_formatted}', hideCursor: true });
  bar.start(1, 0, { lag: '?', stage: 'starting' });
  const end = Date.now() + timeoutMs;
  let quiet = 0;
  try {
    while (quiet < 3) {
      if (Date.now() > end) throw new Error('the pipeline did not settle in time; see .local/run/logs/');
      const lags = await Promise.all(Object.entries(api.admin).map(async ([name, base]) => [name, await lagOf(base, adminToken)] as const));
      const total = lags.reduce((s, [, l]) => s + l, 0);
      const busiest = lags.find(([, l]) => l > 0)?.[0] ?? 'all caught up';
      quiet = total === 0 ? quiet + 1 : 0;
      bar.update(0, { lag: total, stage: busiest });
      await new Promise((r) => setTimeout(r, 1000));
    }
  } finally {
    bar.stop();
  }
}
