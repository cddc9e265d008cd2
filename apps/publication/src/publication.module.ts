import { Module } from '@nestjs/common';
import { EnvironmentModule } from '@sozialmonitor/config';
import { KafkaHealthIndicator, MessagingModule } from '@sozialmonitor/messaging';
import { PlatformModule, MongoModule, MongoHealthIndicator, RedisModule, RedisHealthIndicator } from '@sozialmonitor/platform';
import { PublicationEnvironment } from './publication.environment';

@Module({
  imports: [
    EnvironmentModule.forRoot(PublicationEnvironment),
    PlatformModule.forRoot({ service: 'publication', readiness: [KafkaHealthIndicator, MongoHealthIndicator, RedisHealthIndicator] }),
    MessagingModule.forRoot({ service: 'publication', environment: PublicationEnvironment }),
    MongoModule.forRoot(PublicationEnvironment),
    RedisModule.forRoot(PublicationEnvironment),
  ],
  providers: [KafkaHealthIndicator],
})
export class PublicationModule {}
