import {
  DynamicModule,
  Injectable,
  Logger,
  Module,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { DeadLetterAdmin, EventPublisher, KAFKA, ReplayCoordinator } from '@sozialmonitor/messaging';
import type { Kafka } from 'kafkajs';
import { AdminController } from './admin.controller';
import { ADMIN_OPTIONS, type AdminModuleOptions } from './admin.options';

@Injectable()
class ReplayListener implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(private readonly coordinator: ReplayCoordinator) {}
  onApplicationBootstrap(): Promise<void> {
    return this.coordinator.start();
  }
  onApplicationShutdown(): Promise<void> {
    return this.coordinator.stop();
  }
}

/**
 * Admin endpoints for a service that consumes a topic: consumer-group lag, replays (with dry run,
 * progress and audit), dead letters and re-drive. Needs MessagingModule and AuthModule.
 */
@Module({})
export class AdminModule {
  static forRoot(options: AdminModuleOptions): DynamicModule {
    return {
      module: AdminModule,
      controllers: [AdminController],
      providers: [
        { provide: ADMIN_OPTIONS, useValue: options },
        {
          provide: ReplayCoordinator,
          inject: [KAFKA, EventPublisher],
          useFactory: (kafka: Kafka, publisher: EventPublisher) => {
            const log = new Logger('Replay');
            return new ReplayCoordinator(kafka, publisher, options.service, options.groupId, (m) => log.log(m), options.topics);
          },
        },
        {
          provide: DeadLetterAdmin,
          inject: [KAFKA, EventPublisher],
          useFactory: (kafka: Kafka, p: EventPublisher) => new DeadLetterAdmin(kafka, p),
        },
        ReplayListener,
      ],
    };
  }
}
