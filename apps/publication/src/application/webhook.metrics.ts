import { Injectable } from '@nestjs/common';
import { singletonMetric } from '@sozialmonitor/platform';
import { Counter } from 'prom-client';

/** Webhook metrics (README "Subscriptions"); labels never carry URLs, ids or values. */
@Injectable()
export class WebhookMetrics {
  readonly queued = singletonMetric(
    'sozialmonitor_webhook_deliveries_queued_total',
    () =>
      new Counter({
        name: 'sozialmonitor_webhook_deliveries_queued_total',
        help: 'Deliveries made from published values matching a subscription',
      }),
  );
  readonly attempts = singletonMetric(
    'sozialmonitor_webhook_attempts_total',
    () =>
      new Counter({
        name: 'sozialmonitor_webhook_attempts_total',
        help: 'Delivery attempts by outcome: delivered, retry (failed, tried again later), dead (failed the last attempt)',
        labelNames: ['outcome'],
      }),
  );
}
