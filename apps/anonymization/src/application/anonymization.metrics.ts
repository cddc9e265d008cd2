import { Injectable } from '@nestjs/common';
import { sourceDeclaration } from '@sozialmonitor/contracts';
import { singletonMetric } from '@sozialmonitor/platform';
import { Counter } from 'prom-client';

/** Records per source and outcome; the source label is a known (shipped or registered) source name or `unknown`, nothing else. */
@Injectable()
export class AnonymizationMetrics {
  readonly records = singletonMetric(
    'sozialmonitor_anonymization_records_total',
    () =>
      new Counter({
        name: 'sozialmonitor_anonymization_records_total',
        help: 'Raw records by source and outcome (anonymized, deleted, dead_lettered)',
        labelNames: ['source', 'outcome'],
      }),
  );

  count(source: string | undefined, outcome: 'anonymized' | 'deleted' | 'dead_lettered'): void {
    this.records.inc({ source: source && sourceDeclaration(source) ? source : 'unknown', outcome });
  }
}
