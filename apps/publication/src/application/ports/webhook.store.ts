import type { DeliveryStatus, Subscription } from '../../domain/webhook-subscription';

/** A delivery of one published value to one subscription (the body is what is signed and sent). */
export interface Delivery {
  readonly id: string;
  readonly subscriptionId: string;
  /** The KPI event's ce_id: the receiver recognises a repeated delivery by it. */
  readonly eventId: string;
  /** `<indicatorId>:<regionCode>:<period>` (ce-subject). */
  readonly key: string;
  /** The KPI payload as JSON, exactly the bytes signed and sent. */
  readonly body: string;
  /** The event time (the value's computedAt). */
  readonly time: string;
  readonly status: DeliveryStatus;
  readonly attempts: number;
  readonly nextAttemptAt: Date;
  readonly createdAt: Date;
  readonly lastAttemptAt?: Date;
  readonly lastResult?: string;
  readonly deliveredAt?: Date;
}

export type NewDelivery = Pick<Delivery, 'id' | 'subscriptionId' | 'eventId' | 'key' | 'body' | 'time'>;

/** Subscriptions (with their secrets) and deliveries (MongoDB in production). */
export abstract class WebhookStore {
  abstract createSubscription(subscription: Subscription, secret: string): Promise<void>;
  abstract subscriptions(): Promise<Subscription[]>;
  abstract subscription(id: string): Promise<Subscription | undefined>;
  /** The secret to sign with (never shown after creation, never logged). */
  abstract secretOf(id: string): Promise<string | undefined>;
  /** Removes a subscription; its pending deliveries die with it. False when there is none. */
  abstract deleteSubscription(id: string): Promise<boolean>;
  /** Adds deliveries not known yet (by id): re-consumed events add nothing. */
  abstract addDeliveries(deliveries: readonly NewDelivery[], now: Date): Promise<void>;
  /** Takes one pending delivery that is due for `leaseMs` (another instance does not take it meanwhile). */
  abstract claimDue(now: Date, leaseMs: number): Promise<Delivery | undefined>;
  abstract recordAttempt(
    id: string,
    outcome: { status: DeliveryStatus; attempts: number; nextAttemptAt: Date; result: string; at: Date },
  ): Promise<void>;
  /** Newest first. */
  abstract deliveries(filter: { subscriptionId?: string; status?: DeliveryStatus; limit: number }): Promise<Delivery[]>;
  /** Puts a dead delivery back to pending (attempts from zero); false when it is not dead. */
  abstract redeliver(id: string, now: Date): Promise<boolean>;
  /** The replay epoch deliveries are made in ('' before the first replay of the webhook group). */
  abstract replayEpoch(): Promise<string>;
  /** Starts a replay epoch: the events read from now on are delivered again even if delivered before. */
  abstract startReplayEpoch(epoch: string, at: Date): Promise<void>;
}
