import { Injectable } from '@nestjs/common';
import { SOURCE_NAMES } from '@sozialmonitor/contracts';
import { singletonMetric } from '@sozialmonitor/platform';
import { Counter } from 'prom-client';

export type DeliveryChannel = 'http' | 'drop_folder';
export type DeliveryOutcome = 'accepted' | 'unreadable' | 'too_large' | 'aborted' | 'unavailable' | 'conflict';

const counter = (name: string, help: string, labelNames: string[]) =>
  singletonMetric(name, () => new Counter({ name, help, labelNames }));

/**
 * Prometheus metrics of the ingestion service (operations.md). Labels are source names, channels and
 * outcomes only — a fixed, small set; never a record value, recordId, token or delivery id.
 */
@Injectable()
export class IngestionMetrics {
  readonly received = counter('sozialmonitor_ingestion_records_received_total', 'Records received, per source', [
    'source',
  ]);
  readonly accepted = counter(
    'sozialmonitor_ingestion_records_accepted_total',
    'Records accepted (valid), per source',
    ['source'],
  );
  readonly rejected = counter(
    'sozialmonitor_ingestion_records_rejected_total',
    'Records rejected with errors, per source',
    ['source'],
  );
  readonly retracted = counter(
    'sozialmonitor_ingestion_records_retracted_total',
    'Records retracted by completed snapshots, per source',
    ['source'],
  );
  readonly deliveries = counter(
    'sozialmonitor_ingestion_deliveries_total',
    'Deliveries by source, channel and outcome',
    ['source', 'channel', 'outcome'],
  );
  readonly bytes = counter(
    'sozialmonitor_ingestion_body_bytes_total',
    'Body bytes received (before decompression), per source',
    ['source'],
  );

  constructor() {
    // Every source's series at 0 from the start: the rejection-share alert needs the first delivery's
    // counts as an increase, not as a series that appears already at its value.
    for (const source of SOURCE_NAMES) {
      for (const counter of [this.received, this.accepted, this.rejected]) counter.inc({ source }, 0);
    }
  }

  progress(source: string, delta: { received: number; accepted: number; rejected: number }): void {
    if (delta.received) this.received.inc({ source }, delta.received);
    if (delta.accepted) this.accepted.inc({ source }, delta.accepted);
    if (delta.rejected) this.rejected.inc({ source }, delta.rejected);
  }
}
