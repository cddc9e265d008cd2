import { type DynamicModule, Module } from '@nestjs/common';
import { EnvironmentModule, loadEnvironment } from '@sozialmonitor/config';
import { EventPublisher, KAFKA, ConsumersHealthIndicator, KafkaHealthIndicator, MessagingModule } from '@sozialmonitor/messaging';
import {
  AdminModule,
  Clock,
  httpLimitsOf,
  type HttpServiceOptions,
  MongoHealthIndicator,
  MongoModule,
  PlatformModule,
  RedisModule,
} from '@sozialmonitor/platform';
import { AuthModule } from '@sozialmonitor/platform/auth';
import type { Kafka } from 'kafkajs';
import { AnswerCacheRepository } from './adapters/answer-cache.repository';
import { BoundariesRepository } from './adapters/boundaries.repository';
import { catalogueProvider, CatalogueVersions } from './adapters/catalogue.consumer';
import { ChangeChannelHealthIndicator } from './adapters/change-channel.health';
import { ChangeChannelRepository } from './adapters/change-channel.repository';
import { KpiTopicSetup } from './adapters/kpi-topic.admin';
import { KpiCalculationHttpSource } from './adapters/kpi-calculation.client';
import { PublicationLogRepository } from './adapters/publication-log.repository';
import { ChangeFeed } from './application/change-feed';
import { kpiValuesConsumer } from './adapters/kpi-values.consumer';
import { PublicationRecorder } from './application/publication-recorder';
import { ReadEpoch } from './application/read-epoch';
import { ReadModel } from './application/read-model';
import { ValueReader } from './application/value-reader';
import { DashboardController } from './http/dashboard.controller';
import { DownloadsController } from './http/downloads.controller';
import { IndicatorsController } from './http/indicators.controller';
import { PreparedAnswers } from './http/prepared-answers';
import { MapController } from './http/map.controller';
import { PeriodRequests } from './http/period-request';
import { RegionsController } from './http/regions.controller';
import { StreamController } from './http/stream.controller';
import { AnswerCache } from './application/ports/answer-cache';
import { ChangeChannel } from './application/ports/change-channel';
import { PublicationLog } from './application/ports/publication-log.store';
import { StichtagValuesSource } from './application/ports/stichtag-values.source';
import { CatalogueTimeline } from './application/ports/catalogue-timeline';
import { ReadModelHealthIndicator } from './http/read-model.health';
import { ReportPdfPrinter } from './adapters/report-pdf.printer';
import { ReportRepository } from './adapters/report.repository';
import { ReportPrinter } from './application/ports/report-printer';
import { ReportStore } from './application/ports/report.store';
import { Reports } from './application/reports';
import { ReportAdminController } from './http/report-admin.controller';
import { ReportsController } from './http/reports.controller';
import { PublicationEnvironment, SERVICE } from './publication.environment';
import { OUTWARD_CONTROLLERS, OUTWARD_PROVIDERS } from './outward.wiring';

@Module({})
export class PublicationModule {
  /**
   * The service, configured from `env` (validated here; a bad value throws a ConfigurationError naming
   * the variable). Readiness needs Kafka, MongoDB and the loaded read model, not Redis: without Redis the API answers from
   * MongoDB, so an outage of the cache must not take every instance out of the load balancer.
   */
  static forRoot(env: NodeJS.ProcessEnv = process.env): DynamicModule {
    const config = loadEnvironment(PublicationEnvironment, env);
    return {
      module: PublicationModule,
      imports: [
        EnvironmentModule.forRoot(PublicationEnvironment, env),
        PlatformModule.forRoot({
          service: SERVICE,
          logLevel: config.LOG_LEVEL,
          readiness: [KafkaHealthIndicator, MongoHealthIndicator, ReadModelHealthIndicator, ConsumersHealthIndicator, ChangeChannelHealthIndicator],
        }),
        MessagingModule.forRoot({ service: SERVICE, environment: PublicationEnvironment }),
        MongoModule.forRoot(PublicationEnvironment),
        RedisModule.forRoot(PublicationEnvironment),
        AuthModule.forRoot(PublicationEnvironment),
        AdminModule.forRoot({
          service: SERVICE,
          groupId: config.PUBLICATION_CONSUMER_GROUP,
          topics: [config.PUBLICATION_KPI_TOPIC],
        }),
      ],
      controllers: [
        IndicatorsController,
        RegionsController,
        StreamController,
        MapController,
        DownloadsController,
        DashboardController,
        ReportsController,
        ReportAdminController,
        kpiValuesConsumer(config.PUBLICATION_KPI_TOPIC),
        ...OUTWARD_CONTROLLERS,
      ],
      providers: [
        KafkaHealthIndicator,
        ConsumersHealthIndicator,
        KpiTopicSetup,
        CatalogueVersions,
        catalogueProvider,
        { provide: Clock, useValue: new Clock(config) },
        ReadEpoch,
        PublicationLogRepository,
        ReadModel,
        AnswerCacheRepository,
        ChangeChannelRepository,
        ChangeChannelHealthIndicator,
        ChangeFeed,
        PublicationRecorder,
        ValueReader,
        PeriodRequests,
        { provide: PreparedAnswers, useValue: new PreparedAnswers() },
        BoundariesRepository,
        ReadModelHealthIndicator,
        { provide: PublicationLog, useExisting: PublicationLogRepository },
        { provide: AnswerCache, useExisting: AnswerCacheRepository },
        { provide: ChangeChannel, useExisting: ChangeChannelRepository },
        { provide: StichtagValuesSource, useClass: KpiCalculationHttpSource },
        { provide: CatalogueTimeline, useExisting: CatalogueVersions },
        Reports,
        { provide: ReportStore, useClass: ReportRepository },
        { provide: ReportPrinter, useClass: ReportPdfPrinter },
        ...OUTWARD_PROVIDERS,
      ],
    };
  }

  /** How the service runs: HTTP on PUBLICATION_PORT and the batch consumer of the KPI topic (group `publication`, from the beginning). */
  static httpOptions(env: PublicationEnvironment): HttpServiceOptions {
    return {
      service: SERVICE,
      port: env.PUBLICATION_PORT,
      host: env.HOST,
      limits: httpLimitsOf(env),
      openApi: {
        title: 'Sozialmonitor publication API',
        description:
          'Disclosure-controlled social-planning indicators for Kreis Pinneberg: regions, catalogue, values, profiles, change stream.',
      },
      // Run the init hooks (topic creation, indexes, producer) before the consumer starts: runHttpService
      // starts the microservices before app.listen(), which is where Nest would otherwise run them.
      configure: async (app) => {
        await app.init();
      },
      consumer: (app) => ({
        kafka: app.get<Kafka>(KAFKA),
        deadLetters: app.get(EventPublisher),
        service: SERVICE,
        groupId: env.PUBLICATION_CONSUMER_GROUP,
        fromBeginning: true,
        maxRetries: env.CONSUMER_MAX_RETRIES,
      }),
    };
  }
}
