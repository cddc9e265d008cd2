import { type DynamicModule, Module } from '@nestjs/common';
import { EnvironmentModule, loadEnvironment } from '@sozialmonitor/config';
import { ConsumersHealthIndicator, KafkaHealthIndicator, MessagingModule } from '@sozialmonitor/messaging';
import { AdminModule, PlatformModule } from '@sozialmonitor/platform';
import { AuthModule } from '@sozialmonitor/platform/auth';
import type { Pseudonymizer, RecordSealer } from '@sozialmonitor/privacy';
import { AnonymizationEnvironment } from './anonymization.environment';
import { AnonymizationMetrics } from './anonymization.metrics';
import { keyProviders, PSEUDONYMIZER, RECORD_SEALER } from './keys.provider';
import { RawRecordAnonymizer } from './raw-record-anonymizer';
import { RawRecordsHandler, rawRecordsConsumer, SERVICE } from './raw-records.handler';

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
          inject: [RECORD_SEALER, PSEUDONYMIZER],
          useFactory: (sealer: RecordSealer, pseudonymizer: Pseudonymizer) =>
            new RawRecordAnonymizer(sealer, pseudonymizer, config.LAKE_TOPIC),
        },
        RawRecordsHandler,
        AnonymizationMetrics,
      ],
    };
  }
}
