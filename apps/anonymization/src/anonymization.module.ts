import { Module } from '@nestjs/common';
import { EnvironmentModule } from '@sozialmonitor/config';
import { KafkaHealthIndicator, MessagingModule } from '@sozialmonitor/messaging';
import { PlatformModule } from '@sozialmonitor/platform';
import type { Pseudonymizer, RecordSealer } from '@sozialmonitor/privacy';
import { AnonymizationEnvironment } from './anonymization.environment';
import { AnonymizationMetrics } from './anonymization.metrics';
import { keyProviders, PSEUDONYMIZER, RECORD_SEALER } from './keys.provider';
import { RawRecordAnonymizer } from './raw-record-anonymizer';
import { RawRecordsHandler } from './raw-records.handler';

@Module({
  imports: [
    EnvironmentModule.forRoot(AnonymizationEnvironment),
    PlatformModule.forRoot({ service: 'anonymization', readiness: [KafkaHealthIndicator] }),
    MessagingModule.forRoot({ service: 'anonymization', environment: AnonymizationEnvironment }),
  ],
  controllers: [RawRecordsHandler],
  providers: [
    KafkaHealthIndicator,
    ...keyProviders,
    {
      provide: RawRecordAnonymizer,
      inject: [RECORD_SEALER, PSEUDONYMIZER],
      useFactory: (sealer: RecordSealer, pseudonymizer: Pseudonymizer) =>
        new RawRecordAnonymizer(sealer, pseudonymizer),
    },
    AnonymizationMetrics,
  ],
})
export class AnonymizationModule {}
