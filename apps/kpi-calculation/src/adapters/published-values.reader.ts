import { Inject, Injectable } from '@nestjs/common';
import { type KpiValuePayload, kpiValueKey, publishedContentHash } from '@sozialmonitor/contracts';
import { KAFKA, readTopic } from '@sozialmonitor/messaging';
import type { Kafka } from 'kafkajs';
import { PublishedValuesSource } from '../application/ports/published-values.source';
import { KpiCalculationEnvironment } from '../kpi-calculation.environment';
import type { PublishedValueRecord } from '../application/ports/value-round.store';

/** Reading the whole KPI topic once may take a while for a county's full history. */
const READ_TIMEOUT_MS = 10 * 60_000;

/**
 * What the KPI topic (compacted) says was published: the latest published form of every key, hashed as
 * the calculator hashes a computed value. The publisher takes it as its published state when its own
 * store of rounds is empty (its database was lost) so that a rebuild by replay publishes only what really
 * differs, not every value again. The exact values behind a form are not on the topic (`exact` is empty).
 */
@Injectable()
export class PublishedValuesReader extends PublishedValuesSource {
  constructor(
    @Inject(KAFKA) private readonly kafka: Kafka,
    private readonly env: KpiCalculationEnvironment,
  ) {
    super();
  }

  async latest(): Promise<PublishedValueRecord[]> {
    const events = await readTopic(this.kafka, this.env.KPI_VALUES_TOPIC, { timeoutMs: READ_TIMEOUT_MS });
    const latest = new Map<string, PublishedValueRecord>();
    // in offset order per partition, and a key lives in one partition: the last one read is the latest
    for (const event of events) {
      if (!event.value) continue;
      const p = JSON.parse(event.value.toString('utf8')) as KpiValuePayload;
      const k = kpiValueKey(p);
      latest.set(k, { key: k, hash: publishedContentHash(p), payload: p, exact: { value: null, counts: [] } });
    }
    return [...latest.values()];
  }
}
