import { type DynamicModule, Module } from '@nestjs/common';
import { EnvironmentModule } from '@sozialmonitor/config';
import { EventPublisher, KafkaHealthIndicator, MessagingModule } from '@sozialmonitor/messaging';
import {
  Clock,
  httpLimitsOf,
  type HttpServiceOptions,
  MongoHealthIndicator,
  MongoModule,
  PlatformModule,
} from '@sozialmonitor/platform';
import { AuthModule } from '@sozialmonitor/platform/auth';
import { RecordKeyHasher, RecordSealer } from '@sozialmonitor/privacy';
import { DropFolderWatcher } from './adapters/drop-folder.watcher';
import { recordSealerProviders } from './adapters/record-sealer.factory';
import { RecordVersionRepository } from './adapters/record-version.repository';
import { SnapshotRepository } from './adapters/snapshot.repository';
import { DeliveryService } from './application/delivery.service';
import { IngestionMetrics } from './application/ingestion.metrics';
import { RecordVersionStore } from './application/ports/record-version.store';
import { SnapshotStore } from './application/ports/snapshot.store';
import { RawRecordWriter } from './application/raw-record-writer';
import { SnapshotService } from './application/snapshot.service';
import { SourceAdministration } from './application/source-administration';
import { SourceAdminController } from './http/source-admin.controller';
import { SourcesController } from './http/sources.controller';
import { UnparsedBodies } from './http/unparsed-bodies';
import { IngestionEnvironment, SERVICE } from './ingestion.environment';

/**
 * ingestion: deliveries (HTTP and drop folder) → validated, sealed records on the raw topic. Ports
 * (application/ports) are bound to their MongoDB repositories here.
 */
@Module({})
export class IngestionModule {
  static forRoot(env: NodeJS.ProcessEnv = process.env): DynamicModule {
    return {
      module: IngestionModule,
      imports: [
        EnvironmentModule.forRoot(IngestionEnvironment, env),
        PlatformModule.forRoot({ service: SERVICE, readiness: [KafkaHealthIndicator, MongoHealthIndicator] }),
        MessagingModule.forRoot({ service: SERVICE, environment: IngestionEnvironment }),
        MongoModule.forRoot(IngestionEnvironment),
        AuthModule.forRoot(IngestionEnvironment),
      ],
      controllers: [SourcesController, SourceAdminController],
      providers: [
        KafkaHealthIndicator,
        ...recordSealerProviders,
        // ingestion asks only for now(); "today" (TIME_ZONE, KPI_TODAY) is the periods' services' concern
        { provide: Clock, useValue: new Clock() },
        RecordVersionRepository,
        SnapshotRepository,
        { provide: RecordVersionStore, useExisting: RecordVersionRepository },
        { provide: SnapshotStore, useExisting: SnapshotRepository },
        {
          provide: RawRecordWriter,
          inject: [RecordSealer, EventPublisher, RecordVersionStore, RecordKeyHasher, IngestionEnvironment],
          useFactory: (
            sealer: RecordSealer,
            publisher: EventPublisher,
            versions: RecordVersionStore,
            recordKeys: RecordKeyHasher,
            env: IngestionEnvironment,
          ) => new RawRecordWriter(sealer, publisher, versions, recordKeys, { topic: env.RAW_TOPIC }),
        },
        IngestionMetrics,
        SnapshotService,
        DeliveryService,
        SourceAdministration,
        DropFolderWatcher,
        UnparsedBodies,
      ],
    };
  }

  /** How the ingestion service runs as an HTTP service (main.ts and the integration tests). */
  static httpOptions(env: IngestionEnvironment): HttpServiceOptions {
    return {
      service: SERVICE,
      port: env.INGESTION_PORT,
      host: env.HOST,
      limits: httpLimitsOf(env),
      bodyLimit: env.INGESTION_MAX_BODY_BYTES,
      openApi: {
        title: 'Sozialmonitor ingestion',
        description:
          'Deliveries of source records (JSON array, NDJSON, CSV; gzip allowed): each record validated on its own, accepted records sealed ' +
          '(AES-256-GCM) and published to sozialmonitor.raw.records.v1. Errors name index, line, recordId, field and rule — never a value.',
      },
    };
  }
}
