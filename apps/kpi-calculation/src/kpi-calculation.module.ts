import { type DynamicModule, Module, type Type } from '@nestjs/common';
import { EnvironmentModule, loadEnvironment } from '@sozialmonitor/config';
import { KafkaHealthIndicator, MessagingModule } from '@sozialmonitor/messaging';
import { AdminModule, MongoHealthIndicator, MongoModule, PlatformModule } from '@sozialmonitor/platform';
import { AuthModule } from '@sozialmonitor/platform/auth';
import { CatalogueService } from './application/catalogue.service';
import { Clock } from './application/clock';
import { CatalogueAdministration } from './application/catalogue-administration';
import { CatalogueLog, VersionClaims } from './application/ports/catalogue-log';
import { CatalogueClaimRepository } from './adapters/catalogue-claim.repository';
import { KafkaCatalogueLog } from './adapters/catalogue-log.consumer';
import { CatalogueAdminController } from './http/catalogue-admin.controller';
import { Instance } from './application/instance';
import { KpiCalculationRuntime } from './application/kpi-calculation.runtime';
import { LakeConsumers, SERVICE } from './application/lake-consumers';
import { LakeEngine } from './application/lake-engine';
import { LakeReadinessIndicator } from './application/lake-readiness';
import { LakeStore } from './application/lake-store';
import { Leadership } from './application/leadership';
import { RecomputeScheduler } from './application/recompute-scheduler';
import { ValuePublisher } from './application/value-publisher';
import { IndicatorValuesController } from './http/indicator-values.controller';
import { KpiCalculationEnvironment } from './kpi-calculation.environment';
import { KpiCalculationMetrics } from './kpi-calculation.metrics';
import { LakeLogRepository } from './store/lake-log.repository';
import { LeaderLeaseRepository } from './store/leader-lease.repository';
import { ValueRoundRepository } from './store/value-round.repository';

/**
 * kpi-calculation: lake topic → MongoDB lake store → counting engine → indicator values →
 * `sozialmonitor.kpi.values.v1`; on-demand values over HTTP. `forRoot(env)` takes the environment so
 * that tests can run the service in-process with their own database and groups.
 */
@Module({})
export class KpiCalculationModule {
  static forRoot(env: NodeJS.ProcessEnv = process.env): DynamicModule {
    const config = loadEnvironment(KpiCalculationEnvironment, env);
    return {
      module: KpiCalculationModule,
      imports: [
        EnvironmentModule.forRoot(KpiCalculationEnvironment, env),
        PlatformModule.forRoot({
          service: SERVICE,
          readiness: [KafkaHealthIndicator, MongoHealthIndicator, LakeReadinessIndicator],
        }),
        MessagingModule.forRoot({ service: SERVICE, environment: KpiCalculationEnvironment }),
        MongoModule.forRoot(KpiCalculationEnvironment),
        AuthModule.forRoot(KpiCalculationEnvironment),
        AdminModule.forRoot({
          service: SERVICE,
          groupId: config.KPI_CALCULATION_GROUP_ID,
          topics: [config.LAKE_TOPIC],
        }),
      ],
      controllers: [IndicatorValuesController, CatalogueAdminController],
      providers: [
        KafkaHealthIndicator,
        LakeReadinessIndicator,
        Instance,
        KpiCalculationMetrics,
        Clock,
        CatalogueService,
        LakeLogRepository,
        ValueRoundRepository,
        LeaderLeaseRepository,
        LakeEngine,
        LakeStore,
        ValuePublisher,
        RecomputeScheduler,
        LakeConsumers,
        { provide: CatalogueLog, useClass: KafkaCatalogueLog },
        { provide: VersionClaims, useClass: CatalogueClaimRepository },
        CatalogueAdministration,
        Leadership,
        KpiCalculationRuntime,
      ],
    };
  }
}

/** A root module class around `forRoot(env)` (the HTTP bootstrap takes a module class). */
export function kpiCalculationAppModule(env: NodeJS.ProcessEnv = process.env): Type<unknown> {
  class KpiCalculationAppModule {}
  Module({ imports: [KpiCalculationModule.forRoot(env)] })(KpiCalculationAppModule);
  return KpiCalculationAppModule;
}
