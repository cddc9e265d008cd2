import { type DynamicModule, Module } from '@nestjs/common';
import { EnvironmentModule, loadEnvironment } from '@sozialmonitor/config';
import { ConsumerGroupAdmin, ConsumersHealthIndicator, KAFKA, KafkaHealthIndicator, MessagingModule } from '@sozialmonitor/messaging';
import type { Kafka } from 'kafkajs';
import {
  AdminModule,
  httpLimitsOf,
  type HttpServiceOptions,
  MongoHealthIndicator,
  MongoModule,
  PlatformModule,
} from '@sozialmonitor/platform';
import { AuthModule } from '@sozialmonitor/platform/auth';
import { CatalogueService } from './application/catalogue.service';
import { Clock } from '@sozialmonitor/platform';
import { CatalogueAdministration } from './application/catalogue-administration';
import { CatalogueLog, VersionClaims } from './application/ports/catalogue-log';
import { CatalogueClaimRepository } from './adapters/catalogue-claim.repository';
import { KafkaCatalogueLog } from './adapters/catalogue-log.consumer';
import { LakeExporter } from './application/lake-exporter';
import { LakeExportController } from './http/lake-export.controller';
import { CatalogueAdminController } from './http/catalogue-admin.controller';
import { Instance } from './application/instance';
import { KpiCalculationRuntime } from './adapters/kpi-calculation.lifecycle';
import { LakeConsumers } from './adapters/lake.consumer';
import { LakeOffsets } from './adapters/lake-offsets.admin';
import { LakeEngine } from './application/lake-engine';
import { LakeReadinessIndicator } from './http/lake-readiness.health';
import { LakeStore } from './application/lake-store';
import { Leadership } from './application/leadership';
import { OnDemandGate } from './application/on-demand-gate';
import { RecomputeScheduler } from './application/recompute-scheduler';
import { ValuePublisher } from './application/value-publisher';
import { EmbargoRepository } from './adapters/embargo.repository';
import { EmbargoReleases } from './application/embargo-releases';
import { Holds } from './application/holds';
import { EmbargoStore } from './application/ports/embargo.store';
import { ReleaseAdminController } from './http/release-admin.controller';
import { PublishedValuesReader } from './adapters/published-values.reader';
import { PublishedValuesSource } from './application/ports/published-values.source';
import { IndicatorValuesController } from './http/indicator-values.controller';
import { KpiCalculationEnvironment, SERVICE } from './kpi-calculation.environment';
import { KpiCalculationMetrics } from './application/kpi-calculation.metrics';
import { LakeLogRepository } from './adapters/lake-log.repository';
import { LeaderLeaseRepository } from './adapters/leader-lease.repository';
import { ValueRoundRepository } from './adapters/value-round.repository';
import { LakeLogStore } from './application/ports/lake-log.store';
import { LeaderLeaseStore } from './application/ports/leader-lease.store';
import { ValueRoundStore } from './application/ports/value-round.store';

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
          readiness: [KafkaHealthIndicator, MongoHealthIndicator, LakeReadinessIndicator, ConsumersHealthIndicator],
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
      controllers: [IndicatorValuesController, CatalogueAdminController, ReleaseAdminController, LakeExportController],
      providers: [
        LakeExporter,
        KafkaHealthIndicator,
        ConsumersHealthIndicator,
        LakeReadinessIndicator,
        Instance,
        KpiCalculationMetrics,
        { provide: Clock, useValue: new Clock(config) },
        CatalogueService,
        LakeLogRepository,
        ValueRoundRepository,
        LeaderLeaseRepository,
        { provide: LakeLogStore, useExisting: LakeLogRepository },
        { provide: ValueRoundStore, useExisting: ValueRoundRepository },
        { provide: LeaderLeaseStore, useExisting: LeaderLeaseRepository },
        LakeEngine,
        LakeStore,
        ValuePublisher,
        Holds,
        EmbargoReleases,
        { provide: EmbargoStore, useClass: EmbargoRepository },
        { provide: PublishedValuesSource, useClass: PublishedValuesReader },
        RecomputeScheduler,
        LakeConsumers,
        LakeOffsets,
        { provide: ConsumerGroupAdmin, useFactory: (kafka: Kafka) => new ConsumerGroupAdmin(kafka), inject: [KAFKA] },
        { provide: CatalogueLog, useClass: KafkaCatalogueLog },
        { provide: VersionClaims, useClass: CatalogueClaimRepository },
        CatalogueAdministration,
        Leadership,
        KpiCalculationRuntime,
        { provide: OnDemandGate, useValue: new OnDemandGate(config.KPI_ON_DEMAND_MAX_WAITING) },
      ],
    };
  }

  /** How the service runs (main.ts, integration tests, benchmark). Its consumers are started by the runtime, not the Nest transport. */
  static httpOptions(env: KpiCalculationEnvironment): HttpServiceOptions {
    return {
      service: SERVICE,
      port: env.KPI_CALCULATION_PORT,
      host: env.HOST,
      limits: httpLimitsOf(env),
      openApi: {
        title: 'Sozialmonitor KPI calculation (internal)',
        description: 'Indicator values for any Stichtag, for the publication service.',
      },
    };
  }
}
