import { Gauge, register } from 'prom-client';
import { ConsumerGroupAdmin } from './admin/consumer-group-admin';
import { runningGroupConsumers } from './batch-consumer';
import { withTimeout } from './with-timeout';

/** How long one scrape waits for the broker before it leaves a group out. */
const BROKER_TIMEOUT_MS = 3000;


/**
 * Lag of every consumer group this process runs, as the broker sees it (partition end minus committed
 * offset, summed per topic), asked at scrape time. Unlike `sozialmonitor_consumer_lag`, which a consumer
 * sets when it processes a batch and which therefore freezes when the consumer hangs, this one keeps
 * growing while a group is stuck — what the "lag growing" and "publication stale" alerts need. A group
 * whose broker does not answer within 3 s is left out of that scrape (its series goes absent). Per-instance
 * listeners are left out: a replay-notice group without a commit yet counted the whole control topic as
 * lag, and "publication stale" fired on a healthy stack (seen on `npm run stack:up` with Prometheus).
 */
export const consumerGroupLag: Gauge =
  (register.getSingleMetric('sozialmonitor_consumer_group_lag') as Gauge | undefined) ??
  new Gauge({
    name: 'sozialmonitor_consumer_group_lag',
    help: 'Messages a consumer group of this process is behind the topic end, from the broker (end minus committed offset, summed over partitions)',
    labelNames: ['group', 'topic'],
    async collect() {
      this.reset();
      await Promise.all(
        runningGroupConsumers().map(async (consumer) => {
          const rows = await withTimeout(
            new ConsumerGroupAdmin(consumer.client).lag(consumer.groupId, [...consumer.topics]),
            BROKER_TIMEOUT_MS,
          ).catch(() => []); // no lag series this scrape while the broker does not answer (kafka.health.ts reports it)
          const byTopic = new Map<string, number>();
          for (const row of rows) byTopic.set(row.topic, (byTopic.get(row.topic) ?? 0) + row.lag);
          for (const [topic, lag] of byTopic) this.set({ group: consumer.groupId, topic }, lag);
        }),
      );
    },
  });
