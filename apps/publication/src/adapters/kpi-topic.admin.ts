import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { topicSettings, TOPICS } from '@sozialmonitor/contracts';
import { ensureTopics, KAFKA } from '@sozialmonitor/messaging';
import type { Kafka } from 'kafkajs';
import { PublicationEnvironment } from '../publication.environment';

/**
 * Makes sure the configured KPI topic exists before the consumer subscribes (the system topics are
 * created by the messaging module; a topic configured instead — tests use private ones — gets the
 * KPI topic's settings: compacted, kept forever).
 */
@Injectable()
export class KpiTopicSetup implements OnModuleInit {
  constructor(
    @Inject(KAFKA) private readonly kafka: Kafka,
    private readonly env: PublicationEnvironment,
  ) {}

  async onModuleInit(): Promise<void> {
    if (this.env.PUBLICATION_KPI_TOPIC === TOPICS.kpiValues) return;
    const kpi = topicSettings().find((t) => t.name === TOPICS.kpiValues)!;
    await ensureTopics(this.kafka, [{ name: this.env.PUBLICATION_KPI_TOPIC, config: kpi.config }], {
      partitions: this.env.TOPIC_PARTITIONS,
      replicationFactor: this.env.TOPIC_REPLICATION_FACTOR,
    });
  }
}
