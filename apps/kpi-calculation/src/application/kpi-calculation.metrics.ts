import { Injectable } from '@nestjs/common';
import { singletonMetric } from '@sozialmonitor/platform';
import { Counter, Gauge, Histogram } from 'prom-client';

/** The service's own metrics (operations.md); labels never carry ids or values. */
@Injectable()
export class KpiCalculationMetrics {
  readonly lakeMessages = singletonMetric(
    'sozialmonitor_kpi_lake_messages_total',
    () =>
      new Counter({
        name: 'sozialmonitor_kpi_lake_messages_total',
        help: 'Lake messages by outcome: stored (new version), unchanged (same content or older offset), uncountable',
        labelNames: ['outcome'],
      }),
  );
  readonly valuesPublished = singletonMetric(
    'sozialmonitor_kpi_values_published_total',
    () =>
      new Counter({
        name: 'sozialmonitor_kpi_values_published_total',
        help: 'KPI values whose published form changed and was published',
      }),
  );
  readonly recomputeSeconds = singletonMetric(
    'sozialmonitor_kpi_recompute_seconds',
    () =>
      new Histogram({
        name: 'sozialmonitor_kpi_recompute_seconds',
        help: 'Duration of one recomputation round (compute, store, publish)',
        buckets: [0.01, 0.05, 0.1, 0.5, 1, 2, 5, 15, 60],
      }),
  );
  readonly recomputeRounds = singletonMetric(
    'sozialmonitor_kpi_recompute_rounds_total',
    () =>
      new Counter({
        name: 'sozialmonitor_kpi_recompute_rounds_total',
        help: 'Recomputation rounds by trigger: quiet (lake consumer caught up, RECOMPUTE_DELAY_MS without a change) or max-defer (RECOMPUTE_MAX_DEFER_MS since the first pending change)',
        labelNames: ['trigger'],
      }),
  );
  readonly recomputePending = singletonMetric(
    'sozialmonitor_kpi_recompute_pending',
    () =>
      new Gauge({
        name: 'sozialmonitor_kpi_recompute_pending',
        help: '1 while changes wait for a recomputation round or a round runs, else 0 (values are out)',
      }),
  );
  readonly lakeLag = singletonMetric(
    'sozialmonitor_kpi_lake_lag',
    () =>
      new Gauge({
        name: 'sozialmonitor_kpi_lake_lag',
        help: "Messages the publisher's lake consumer is behind the topic end (as its fetched batches saw it); rounds wait while above 0",
      }),
  );
  readonly lakeRecords = singletonMetric(
    'sozialmonitor_kpi_lake_records',
    () => new Gauge({ name: 'sozialmonitor_kpi_lake_records', help: 'Counted lake records held by the engine' }),
  );
  readonly leader = singletonMetric(
    'sozialmonitor_kpi_publisher',
    () => new Gauge({ name: 'sozialmonitor_kpi_publisher', help: '1 while this instance holds the publisher lease' }),
  );
}
