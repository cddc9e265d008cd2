import { Injectable } from '@nestjs/common';
import { Catalogue } from '@sozialmonitor/indicators/catalogue';
import { computedRegions } from '@sozialmonitor/regions';
import { randomUUID } from 'node:crypto';
import {
  checkSubscriptionRequest,
  type DeliveryStatus,
  generateSecret,
  type RequestProblem,
  type Subscription,
} from '../domain/webhook-subscription';
import type { Delivery } from './ports/webhook.store';
import { WebhookStore } from './ports/webhook.store';

/** A refused subscription request: every problem with its field. */
export class SubscriptionRefused extends Error {
  constructor(readonly problems: readonly RequestProblem[]) {
    super(problems.map((p) => (p.field ? `${p.field}: ${p.message}` : p.message)).join('; '));
  }
}

const REGION_CODES = new Set(computedRegions().map((r) => r.code));

/** The admin side of webhooks: subscribe, list, remove; deliveries and dead letters; re-deliver. */
@Injectable()
export class Subscriptions {
  constructor(
    private readonly store: WebhookStore,
    private readonly catalogue: Catalogue,
  ) {}

  /** Creates a subscription; `secret` is in the answer only when the system generated it (shown once). */
  async create(body: unknown, by: string): Promise<{ subscription: Subscription; secret?: string }> {
    const { request, problems } = checkSubscriptionRequest(
      body,
      (id) => this.catalogue.current(id) !== undefined,
      (code) => REGION_CODES.has(code),
    );
    if (!request) throw new SubscriptionRefused(problems);
    const subscription: Subscription = {
      id: randomUUID(),
      url: request.url,
      indicators: request.indicators,
      regions: request.regions,
      threshold: request.threshold,
      description: request.description,
      createdAt: new Date().toISOString(),
      createdBy: by,
    };
    const secret = request.secret ?? generateSecret();
    await this.store.createSubscription(subscription, secret);
    return request.secret === undefined ? { subscription, secret } : { subscription };
  }

  list(): Promise<Subscription[]> {
    return this.store.subscriptions();
  }

  get(id: string): Promise<Subscription | undefined> {
    return this.store.subscription(id);
  }

  remove(id: string): Promise<boolean> {
    return this.store.deleteSubscription(id);
  }

  deliveries(filter: { subscriptionId?: string; status?: DeliveryStatus; limit: number }): Promise<Delivery[]> {
    return this.store.deliveries(filter);
  }

  redeliver(id: string): Promise<boolean> {
    return this.store.redeliver(id, new Date());
  }
}
