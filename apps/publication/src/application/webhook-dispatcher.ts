import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { kpiValueKey, type KpiValuePayload } from '@sozialmonitor/contracts';
import { type ConsumedEvent, DependencyUnavailableError, jsonOf } from '@sozialmonitor/messaging';
import { toPublishedForm } from '../domain/published-value';
import { historyEntryOf } from '../domain/value-history';
import { afterFailure, deliveryId, shouldDeliver, signBody } from '../domain/webhook-subscription';
import { PublicationEnvironment } from '../publication.environment';
import type { Delivery, NewDelivery } from './ports/webhook.store';
import { WebhookStore } from './ports/webhook.store';
import { WebhookSender } from './ports/webhook-sender';
import { ReadModel } from './read-model';
import { WebhookMetrics } from './webhook.metrics';

/** Deliveries sent at once by one instance. */
const PARALLEL = 8;
/** How long a claimed delivery is this instance's: longer than a request may take. */
const leaseOf = (timeoutMs: number) => timeoutMs * 2 + 5_000;

/**
 * Webhooks (README "Subscriptions"): turns published KPI values into deliveries for the subscriptions
 * they match (stored before the consumer commits: at-least-once, one delivery per subscription and
 * event), and sends due deliveries — signed, retried with exponential backoff, dead after the last
 * attempt. Several instances share the work: a delivery is claimed for a lease before it is sent.
 */
@Injectable()
export class WebhookDispatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger('Webhooks');
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;

  constructor(
    private readonly store: WebhookStore,
    private readonly sender: WebhookSender,
    private readonly model: ReadModel,
    private readonly env: PublicationEnvironment,
    private readonly metrics: WebhookMetrics,
  ) {}

  onApplicationBootstrap(): void {
    this.schedule();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** One consumed batch of the KPI topic: the deliveries it makes, durable before the batch commits. */
  async enqueue(events: readonly ConsumedEvent[]): Promise<number> {
    const values = events
      .filter((event) => event.value !== null)
      .map((event) => ({ event, value: toPublishedForm(jsonOf(event)) }));
    if (values.length === 0) return 0;
    const subscriptions = await this.store.subscriptions();
    if (subscriptions.length === 0) return 0;
    if (subscriptions.some((s) => s.threshold !== null) && !this.model.isLoaded)
      throw new DependencyUnavailableError('the read model is still loading (thresholds compare with it)');
    if (subscriptions.some((s) => s.threshold !== null)) await this.awaitReadModel(values.map((v) => v.value));
    const epoch = await this.store.replayEpoch();
    const deliveries: NewDelivery[] = [];
    for (const { event, value } of values) {
      const key = kpiValueKey(value);
      const previous = () => this.model.before(key, value.computedAt);
      for (const sub of subscriptions) {
        if (!shouldDeliver(sub, value, sub.threshold === null ? undefined : previous())) continue;
        deliveries.push({
          id: deliveryId(sub.id, event.id, epoch),
          subscriptionId: sub.id,
          eventId: event.id,
          key,
          body: JSON.stringify(value),
          time: value.computedAt,
        });
      }
    }
    if (deliveries.length > 0) await this.store.addDeliveries(deliveries, new Date());
    this.metrics.queued.inc(deliveries.length);
    return deliveries.length;
  }

  /**
   * Thresholds compare with the previous publication, which the read model holds once it has consumed up
   * to this value (its own consumer group may lag behind this one): it must hold these very entries
   * (same key, same partition, in order — so their predecessors too). If it does not after reading what
   * other instances wrote, the batch is retried later (not committed).
   */
  private async awaitReadModel(values: readonly KpiValuePayload[]): Promise<void> {
    const missing = () => values.filter((v) => !this.model.has(historyEntryOf(v)));
    if (missing().length === 0) return;
    await this.model.catchUp();
    if (missing().length > 0)
      throw new DependencyUnavailableError('the read model has not yet taken in these values (thresholds compare with it)');
  }

  /** Sends every due delivery (tests call it to skip the poll interval). */
  async dispatchDue(): Promise<void> {
    const lease = leaseOf(this.env.WEBHOOK_TIMEOUT_MS);
    for (;;) {
      const claimed = [];
      for (let i = 0; i < PARALLEL; i++) {
        const d = await this.store.claimDue(new Date(), lease);
        if (!d) break;
        claimed.push(d);
      }
      if (claimed.length === 0) return;
      await Promise.all(claimed.map((d) => this.attempt(d)));
      if (this.stopped) return;
    }
  }

  private async attempt(d: Delivery): Promise<void> {
    const sub = await this.store.subscription(d.subscriptionId);
    const secret = sub ? await this.store.secretOf(sub.id) : undefined;
    const attempts = d.attempts + 1;
    if (!sub || !secret) {
      await this.store.recordAttempt(d.id, {
        status: 'dead',
        attempts: d.attempts,
        nextAttemptAt: new Date(),
        result: 'subscription removed',
        at: new Date(),
      });
      return;
    }
    const outcome = await this.sender.send({
      url: sub.url,
      eventId: d.eventId,
      subject: d.key,
      time: d.time,
      body: d.body,
      signature: signBody(secret, d.body),
      subscriptionId: sub.id,
    });
    const now = Date.now();
    const next = outcome.ok
      ? { status: 'delivered' as const, nextAttemptAt: now }
      : afterFailure(attempts, this.env.WEBHOOK_MAX_ATTEMPTS, this.env.WEBHOOK_RETRY_BASE_MS, now);
    this.metrics.attempts.inc({ outcome: next.status === 'pending' ? 'retry' : next.status });
    if (next.status === 'dead')
      this.log.warn(`delivery ${d.id} to subscription ${sub.id} dead after ${attempts} attempts (${outcome.result})`);
    await this.store.recordAttempt(d.id, {
      status: next.status,
      attempts,
      nextAttemptAt: new Date(next.nextAttemptAt),
      result: outcome.result,
      at: new Date(now),
    });
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.dispatchDue()
        .catch((e: Error) => this.log.warn(`webhook deliveries: ${e.message}`))
        .finally(() => this.schedule());
    }, this.env.WEBHOOK_POLL_MS);
    this.timer.unref();
  }
}
