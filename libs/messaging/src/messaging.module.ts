import { DynamicModule, Global, Inject, Injectable, Logger, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { KafkaEnvironment } from '@sozialmonitor/config';
import { topicSettings } from '@sozialmonitor/contracts';
import type { Kafka } from 'kafkajs';
import { EventPublisher } from './event-publisher';
import { createKafka } from './kafka-client';
import { kafkaSecurityOf } from './kafka-security';
import { SourceDeclarationLog } from './source-declarations';
import { ensureTopics } from './topic-admin';

export const KAFKA = Symbol('KAFKA');
export const MESSAGING_OPTIONS = Symbol('MESSAGING_OPTIONS');

export interface MessagingModuleOptions {
  service: string;
  /** The app's validated environment class (must extend KafkaEnvironment). */
  environment: new (...args: never[]) => KafkaEnvironment;
  /** Create the system's topics at start (every service does; creation is idempotent). */
  ensureTopics?: boolean;
}

@Injectable()
class MessagingLifecycle implements OnModuleInit, OnApplicationShutdown {
  private readonly log = new Logger('Messaging');
  constructor(
    @Inject(KAFKA) private readonly kafka: Kafka,
    private readonly publisher: EventPublisher,
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingModuleOptions & { env: KafkaEnvironment },
  ) {}

  async onModuleInit(): Promise<void> {
    if (this.options.ensureTopics !== false) {
      const created = await ensureTopics(this.kafka, topicSettings(this.options.env.RAW_RETENTION_DAYS), {
        partitions: this.options.env.TOPIC_PARTITIONS,
        replicationFactor: this.options.env.TOPIC_REPLICATION_FACTOR,
      });
      if (created.length) this.log.log(`created topics ${created.join(', ')}`);
    }
    await this.publisher.connect();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.publisher.disconnect();
  }
}

/**
 * The source topic for every service (libs/messaging source-declarations.ts): started at module init
 * without waiting for it (a service meeting a source it does not know yet calls `catchUp` first).
 */
@Injectable()
export class SourceDeclarations extends SourceDeclarationLog implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(KAFKA) kafka: Kafka,
    publisher: EventPublisher,
    @Inject(MESSAGING_OPTIONS) options: MessagingModuleOptions & { env: KafkaEnvironment },
  ) {
    const log = new Logger('SourceDeclarations');
    super(
      kafka,
      {
        topic: options.env.SOURCES_TOPIC,
        groupPrefix: `${options.service}.sources`,
        replicationFactor: options.env.TOPIC_REPLICATION_FACTOR,
        log,
      },
      publisher,
    );
    this.logger = log;
  }

  private readonly logger: Logger;

  onModuleInit(): void {
    // Not awaited so a service starts without the topic; the next `catchUp` tries the start again.
    this.start().catch((e: Error) => this.logger.error(`source topic not followed (tried again at the next catch-up): ${e.message}`));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.stop();
  }
}

/** Kafka client, idempotent publisher and topic creation for one service; the source topic followed. */
@Global()
@Module({})
export class MessagingModule {
  static forRoot(options: MessagingModuleOptions): DynamicModule {
    return {
      module: MessagingModule,
      providers: [
        {
          provide: MESSAGING_OPTIONS,
          inject: [options.environment],
          useFactory: (env: KafkaEnvironment) => ({ ...options, env }),
        },
        {
          provide: KAFKA,
          inject: [options.environment],
          useFactory: (env: KafkaEnvironment) => {
            const log = new Logger('kafkajs');
            return createKafka({
              brokers: env.KAFKA_BROKERS,
              clientId: `sozialmonitor-${options.service}`,
              security: kafkaSecurityOf(env),
              log: (level, message, extra) =>
                level === 'error' ? log.error(message, JSON.stringify(extra)) : level === 'warn' ? log.warn(message) : log.debug?.(message),
            });
          },
        },
        { provide: EventPublisher, inject: [KAFKA], useFactory: (kafka: Kafka) => new EventPublisher(kafka) },
        MessagingLifecycle,
        SourceDeclarations,
      ],
      exports: [KAFKA, EventPublisher, MESSAGING_OPTIONS, SourceDeclarations],
    };
  }
}
