import { Module } from '@nestjs/common';
import { EnvironmentModule } from '@sozialmonitor/config';
import { EventPublisher, KafkaHealthIndicator, MessagingModule } from '@sozialmonitor/messaging';
import { MongoHealthIndicator, MongoModule, PlatformModule } from '@sozialmonitor/platform';
import { AuthModule } from '@sozialmonitor/platform/auth';
import type { RecordKeyHasher, RecordSealer } from '@sozialmonitor/privacy';
import { DeliveryService } from './delivery/delivery.service';
import { RawRecordWriter } from './delivery/raw-record-writer';
import { DropFolderWatcher } from './drop-folder/drop-folder.watcher';
import { SourcesController } from './http/sources.controller';
import { UnparsedBodies } from './http/unparsed-bodies';
import { IngestionEnvironment } from './ingestion.environment';
import { IngestionMetrics } from './ingestion.metrics';
import { RECORD_KEY_HASHER, RECORD_SEALER, recordSealerProviders } from './keys.provider';
import { SnapshotService } from './snapshots/snapshot.service';
import { RecordVersionRepository } from './store/record-version.repository';
import { SnapshotRepository } from './store/snapshot.repository';

@Module({
  imports: [
    EnvironmentModule.forRoot(IngestionEnvironment),
    PlatformModule.forRoot({ service: 'ingestion', readiness: [KafkaHealthIndicator, MongoHealthIndicator] }),
    MessagingModule.forRoot({ service: 'ingestion', environment: IngestionEnvironment }),
    MongoModule.forRoot(IngestionEnvironment),
    AuthModule.forRoot(IngestionEnvironment),
  ],
  controllers: [SourcesController],
  providers: [
    KafkaHealthIndicator,
    ...recordSealerProviders,
    { provide: 'NOW', useValue: () => new Date() },
    RecordVersionRepository,
    SnapshotRepository,
    {
      provide: RawRecordWriter,
      inject: [RECORD_SEALER, EventPublisher, RecordVersionRepository, RECORD_KEY_HASHER, IngestionEnvironment],
      useFactory: (
        sealer: RecordSealer,
        publisher: EventPublisher,
        versions: RecordVersionRepository,
        recordKeys: RecordKeyHasher,
        env: IngestionEnvironment,
      ) => new RawRecordWriter(sealer, publisher, versions, recordKeys, { topic: env.RAW_TOPIC }),
    },
    IngestionMetrics,
    SnapshotService,
    DeliveryService,
    DropFolderWatcher,
    UnparsedBodies,
  ],
})
export class IngestionModule {}
