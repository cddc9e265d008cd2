import { SingleBar } from 'cli-progress';
import { TOPICS } from '@sozialmonitor/contracts';
import { ConsumerGroupAdmin, createKafka } from '@sozialmonitor/messaging';
import type { DemoEndpoints } from './endpoints';

/** The pipeline's consumer groups and the topic each reads (default group ids of the services). */
const STAGES = [
  { name: 'anonymization', groupId: process.env.ANONYMIZATION_GROUP_ID ?? 'anonymization', topic: TOPICS.raw },
  { name: 'kpi-calculation', groupId: process.env.KPI_CALCULATION_GROUP_ID ?? 'kpi-calculation', topic: TOPICS.lake },
  { name: 'publication', groupId: process.env.PUBLICATION_CONSUMER_GROUP ?? 'publication', topic: TOPICS.kpiValues },
];

/** Sum of the samples of one metric in a Prometheus text page (0 when absent). */
export function metricSum(page: string, name: string): number {
  let sum = 0;
  for (const line of page.split('\n')) {
    if (line.startsWith(name) && (line[name.length] === ' ' || line[name.length] === '{'))
      sum += Number(line.slice(line.lastIndexOf(' ') + 1)) || 0;
  }
  return sum;
}

/**
 * Settled = no consumer group of the pipeline lags, kpi-calculation has no recomputation pending or
 * running, and it has neither published a value nor finished a round for three polls in a row (it
 * recomputes debounced, after its consumer has committed, so an empty lag alone does not mean the
 * values are out).
 */
export async function waitUntilSettled(api: DemoEndpoints, timeoutMs = 30 * 60_000): Promise<void> {
  const kafka = createKafka({
    brokers: process.env.KAFKA_BROKERS ?? '127.0.0.1:9092',
    clientId: 'sozialmonitor-demo',
    log: () => undefined,
  });
  const groups = new ConsumerGroupAdmin(kafka);
  const bar = new SingleBar({
    format: '  waiting: {lag} messages behind | {stage} | {published} values published | {duration_formatted}',
    hideCursor: true,
  });
  bar.start(1, 0, { lag: '?', stage: 'starting', published: 0 });
  const end = Date.now() + timeoutMs;
  let quiet = 0;
  let last = '';
  try {
    while (quiet < 3) {
      if (Date.now() > end) throw new Error('the pipeline did not settle in time; see .local/run/logs/');
      const lags = await Promise.all(
        STAGES.map(
          async (s) => [s.name, (await groups.lag(s.groupId, [s.topic])).reduce((n, p) => n + p.lag, 0)] as const,
        ),
      );
      const page = await (await fetch(`${api.admin['kpi-calculation']}/metrics`)).text();
      const published = metricSum(page, 'sozialmonitor_kpi_values_published_total');
      const rounds = metricSum(page, 'sozialmonitor_kpi_recompute_seconds_count');
      const pending = metricSum(page, 'sozialmonitor_kpi_recompute_pending');
      const total = lags.reduce((n, [, l]) => n + l, 0);
      const state = `${total}/${published}/${rounds}`;
      quiet = total === 0 && pending === 0 && state === last ? quiet + 1 : 0;
      last = state;
      bar.update(0, {
        lag: total,
        stage: lags.find(([, l]) => l > 0)?.[0] ?? (quiet > 0 ? 'settling' : 'computing'),
        published,
      });
      await new Promise((r) => setTimeout(r, 2000));
    }
  } finally {
    bar.stop();
  }
}
