import type { Provider, Type } from '@nestjs/common';
import { WebhookHttpSender } from './adapters/webhook.client';
import { WebhookRepository } from './adapters/webhook.repository';
import { WebhookValuesConsumer } from './adapters/webhook-values.consumer';
import { WebhookSender } from './application/ports/webhook-sender';
import { WebhookStore } from './application/ports/webhook.store';
import { Subscriptions } from './application/subscriptions';
import { WebhookDispatcher } from './application/webhook-dispatcher';
import { WebhookMetrics } from './application/webhook.metrics';
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
];

export const OUTWARD_CONTROLLERS: Type<unknown>[] = [SubscriptionsController, ValuesExportController];
