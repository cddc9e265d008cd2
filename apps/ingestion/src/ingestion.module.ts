import { Module } from '@nestjs/common';
import { EnvironmentModule } from '@sozialmonitor/config';
import { KafkaHealthIndicator, MessagingModule } from '@sozialmonitor/messaging';
import { PlatformModule, MongoModule, MongoHealthIndicator } from '@sozialmonitor/platform';
import { IngestionEnvironment } from './ingestion.environment';

@Module({
  imports: [
    EnvironmentModule.forRoot(IngestionEnvironment),
    PlatformModule.forRoot({ service: 'ingestion', readiness: [KafkaHealthIndicator, MongoHealthIndicator] }),
    MessagingModule.forRoot({ service: 'ingestion', environment: IngestionEnvironment }),
    MongoModule.forRoot(IngestionEnvironment),
  ],
  providers: [KafkaHealthIndicator],
})
export class IngestionModule {}
