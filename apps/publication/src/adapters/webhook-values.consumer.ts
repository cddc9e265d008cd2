import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { BatchConsumer, EventPublisher, KAFKA } from '@sozialmonitor/messaging';
import type { Kafka } from 'kafkajs';
import { WebhookDispatcher } from '../application/webhook-dispatcher';
import { PublicationEnvironment, SERVICE } from '../publication.environment';

/** The webhook consumer group: `<PUBLICATION_CONSUMER_GROUP>.webhooks`. */
export const webhookGroupOf = (env: PublicationEnvironment): string => `${env.PUBLICATION_CONSUMER_GROUP}.webhooks`;

/**
 * The KPI topic read a second time, in a consumer group of its own, for webhooks: its offsets move
 * independently of the read model's (a slow receiver never holds up the API), and it reads the same
 * topic the API is fed from, so it sees exactly the published, disclosure-controlled values (values
 * held back for a release are not on it). Deliveries are stored before the batch commits.
 */
@Injectable()
export class WebhookValuesConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger('WebhookValuesConsumer');
  private consumer?: BatchConsumer;

  constructor(
    @Inject(KAFKA) private readonly kafka: Kafka,
    private readonly deadLetters: EventPublisher,
    private readonly dispatcher: WebhookDispatcher,
    private readonly env: PublicationEnvironment,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.consumer = new BatchConsumer(this.kafka, this.deadLetters, {
      service: SERVICE,
      groupId: webhookGroupOf(this.env),
      topics: [this.env.PUBLICATION_KPI_TOPIC],
      fromBeginning: true,
      maxRetries: this.env.CONSUMER_MAX_RETRIES,
      handler: async (events) => {
        await this.dispatcher.enqueue(events);
      },
      log: (level, message) => this.log[level === 'info' ? 'log' : level](message),
    });
    // a failed start keeps retrying in the background (readiness says so)
    await this.consumer.start().catch((e: Error) => this.log.warn(`webhook consumer: ${e.message}`));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.consumer?.stop();
  }
}
