import { Logger, type Provider, type Type } from '@nestjs/common';
import { EventPublisher, KAFKA, ReplayCoordinator } from '@sozialmonitor/messaging';
import type { Kafka } from 'kafkajs';
import { WebhookHttpSender } from './adapters/webhook.client';
import { WebhookRepository } from './adapters/webhook.repository';
import { webhookGroupOf, WebhookValuesConsumer } from './adapters/webhook-values.consumer';
import { WebhookSender } from './application/ports/webhook-sender';
import { WebhookStore } from './application/ports/webhook.store';
import { Subscriptions } from './application/subscriptions';
import { WebhookDispatcher } from './application/webhook-dispatcher';
import { WebhookMetrics } from './application/webhook.metrics';
import { WebhookReplayCoordinator, WebhookReplays } from './application/webhook-replays';
import { PublicationEnvironment, SERVICE } from './publication.environment';
import { SubscriptionsController } from './http/subscriptions.controller';
import { ValuesExportController } from './http/values-export.controller';

/** Webhooks and the analysis export (README "Subscriptions", "Exports"): the parts publication.module.ts adds, kept here so the module stays short. */
export const OUTWARD_PROVIDERS: Provider[] = [
  WebhookRepository,
  { provide: WebhookStore, useExisting: WebhookRepository },
  { provide: WebhookSender, useClass: WebhookHttpSender },
  WebhookDispatcher,
  WebhookMetrics,
  Subscriptions,
  WebhookValuesConsumer,
  {
    provide: WebhookReplayCoordinator,
    inject: [KAFKA, EventPublisher, PublicationEnvironment],
    useFactory: (kafka: Kafka, publisher: EventPublisher, env: PublicationEnvironment) => {
      const log = new Logger('WebhookReplay');
      return new ReplayCoordinator(kafka, publisher, SERVICE, webhookGroupOf(env), (m) => log.log(m), [env.PUBLICATION_KPI_TOPIC]);
    },
  },
  WebhookReplays,
];

export const OUTWARD_CONTROLLERS: Type<unknown>[] = [SubscriptionsController, ValuesExportController];
