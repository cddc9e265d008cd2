import { Module } from '@nestjs/common';
import { EnvironmentModule } from '@sozialmonitor/config';
import { KafkaHealthIndicator, MessagingModule } from '@sozialmonitor/messaging';
import { PlatformModule, MongoModule, MongoHealthIndicator } from '@sozialmonitor/platform';
import { KpiCalculationEnvironment } from './kpi-calculation.environment';

@Module({
  imports: [
    EnvironmentModule.forRoot(KpiCalculationEnvironment),
    PlatformModule.forRoot({ service: 'kpi-calculation', readiness: [KafkaHealthIndicator, MongoHealthIndicator] }),
    MessagingModule.forRoot({ service: 'kpi-calculation', environment: KpiCalculationEnvironment }),
    MongoModule.forRoot(KpiCalculationEnvironment),
  ],
  providers: [KafkaHealthIndicator],
})
export class KpiCalculationModule {}
