import { Module } from '@nestjs/common';
import { EnvironmentModule } from '@sozialmonitor/config';
import { KafkaHealthIndicator, MessagingModule } from '@sozialmonitor/messaging';
import { PlatformModule } from '@sozialmonitor/platform';
import { AnonymizationEnvironment } from './anonymization.environment';

@Module({
  imports: [
    EnvironmentModule.forRoot(AnonymizationEnvironment),
    PlatformModule.forRoot({ service: 'anonymization', readiness: [KafkaHealthIndicator] }),
    MessagingModule.forRoot({ service: 'anonymization', environment: AnonymizationEnvironment }),
  ],
  providers: [KafkaHealthIndicator],
})
export class AnonymizationModule {}
