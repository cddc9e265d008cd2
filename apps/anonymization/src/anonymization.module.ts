import { type DynamicModule, type INestApplication, Module } from '@nestjs/common';
import { EnvironmentModule, loadEnvironment } from '@sozialmonitor/config';
import { ConsumersHealthIndicator, EventPublisher, KAFKA, KafkaHealthIndicator, MessagingModule } from '@sozialmonitor/messaging';
import { AdminModule, httpLimitsOf, type HttpServiceOptions, PlatformModule } from '@sozialmonitor/platform';
import { AuthModule } from '@sozialmonitor/platform/auth';
import { Pseudonymizer, RecordKeyHasher, RecordSealer } from '@sozialmonitor/privacy';
import type { Kafka } from 'kafkajs';
import { keyProviders } from './adapters/key-rings.factory';
import { rawRecordsConsumer } from './adapters/raw-records.consumer';
import { AnonymizationEnvironment, SERVICE } from './anonymization.environment';
import { AnonymizationMetrics } from './application/anonymization.metrics';
import { RawRecordsHandler } from './application/anonymize-raw-records';
import { RawRecordAnonymizer } from './application/raw-record-anonymizer';

/**
 * anonymization: raw topic → lake topic (or dead-letter topic). Admin endpoints (lag, replay of the raw
 * topic — e.g. after a pseudonym key rotation —, dead letters and re-drive) need the admin role.
 */
@Module({})
export class AnonymizationModule {
  static forRoot(env: NodeJS.ProcessEnv = process.env): DynamicModule {
    const config = loadEnvironment(AnonymizationEnvironment, env);
    return {
      module: AnonymizationModule,
      imports: [
        EnvironmentModule.forRoot(AnonymizationEnvironment, env),
        PlatformModule.forRoot({ service: SERVICE, readiness: [KafkaHealthIndicator, ConsumersHealthIndicator] }),
        MessagingModule.forRoot({ service: SERVICE, environment: AnonymizationEnvironment }),
        AuthModule.forRoot(AnonymizationEnvironment),
        AdminModule.forRoot({ service: SERVICE, groupId: config.ANONYMIZATION_GROUP_ID, topics: [config.RAW_TOPIC] }),
      ],
      controllers: [rawRecordsConsumer(config.RAW_TOPIC)],
      providers: [
        KafkaHealthIndicator,
        ConsumersHealthIndicator,
        ...keyProviders,
        {
          provide: RawRecordAnonymizer,
          inject: [RecordSealer, Pseudonymizer, RecordKeyHasher],
          useFactory: (sealer: RecordSealer, pseudonymizer: Pseudonymizer, recordKeys: RecordKeyHasher) =>
            new RawRecordAnonymizer(sealer, pseudonymizer, recordKeys, config.LAKE_TOPIC),
        },
        RawRecordsHandler,
        AnonymizationMetrics,
      ],
    };
  }

  /** How the service runs (main.ts and the integration tests): health/metrics HTTP plus the raw consumer. */
  static httpOptions(env: AnonymizationEnvironment): HttpServiceOptions {
    return {
      service: SERVICE,
      port: env.ANONYMIZATION_PORT,
      host: env.HOST,
      limits: httpLimitsOf(env),
      openApi: {
        title: 'Sozialmonitor anonymization',
        description:
          'raw → lake. HTTP serves health, metrics and the admin endpoints (consumer lag, replay of the raw topic, dead letters).',
      },
      consumer: (app: INestApplication) => ({
        kafka: app.get<Kafka>(KAFKA),
        deadLetters: app.get(EventPublisher),
        service: SERVICE,
        groupId: env.ANONYMIZATION_GROUP_ID,
        // A new group reads the raw topic from its beginning (its retention bounds the work).
        fromBeginning: true,
        maxRetries: env.CONSUMER_MAX_RETRIES,
      }),
    };
  }
}
