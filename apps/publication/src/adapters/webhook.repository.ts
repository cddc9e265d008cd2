import { Inject, Injectable } from '@nestjs/common';
import { MONGO_CONNECTION } from '@sozialmonitor/platform';
import type { Connection, mongo } from 'mongoose';
import type { Delivery, NewDelivery, WebhookStore } from '../application/ports/webhook.store';
import type { DeliveryStatus, Subscription } from '../domain/webhook-subscription';
import { guarded } from './publication-log.repository';

interface SubscriptionDocument extends Omit<Subscription, 'id'> {
  _id: string;
  /** HMAC key of the signatures: needed in the clear to sign; only ever read by `secretOf`. */
  secret: string;
}

interface DeliveryDocument extends Omit<Delivery, 'id'> {
  _id: string;
}

export const SUBSCRIPTIONS_COLLECTION = 'webhook_subscriptions';
export const DELIVERIES_COLLECTION = 'webhook_deliveries';
/** One document: the replay epoch of the webhook group (`_id` 'replay-epoch'). */
export const WEBHOOK_STATE_COLLECTION = 'webhook_state';
const EPOCH = 'replay-epoch';
const DUPLICATE_KEY = 11000;

const subscriptionOf = ({ _id, secret: _secret, ...rest }: SubscriptionDocument): Subscription => ({ id: _id, ...rest });
const deliveryOf = ({ _id, ...rest }: DeliveryDocument): Delivery => ({ id: _id, ...rest });

/**
 * Webhook subscriptions and deliveries in MongoDB. Deliveries are inserted once (their id is a hash of
 * subscription and event: a re-consumed event finds its delivery there) and then updated a handful of
 * times at most (each attempt), which FerretDB v1 handles at the rates webhooks have.
 */
@Injectable()
export class WebhookRepository implements WebhookStore {
  private readonly subs: mongo.Collection<SubscriptionDocument>;
  private readonly deliveriesOf: mongo.Collection<DeliveryDocument>;

  private readonly state: mongo.Collection<{ _id: string; epoch: string; at: string }>;

  constructor(@Inject(MONGO_CONNECTION) connection: Connection) {
    this.subs = connection.db!.collection<SubscriptionDocument>(SUBSCRIPTIONS_COLLECTION);
    this.deliveriesOf = connection.db!.collection<DeliveryDocument>(DELIVERIES_COLLECTION);
    this.state = connection.db!.collection(WEBHOOK_STATE_COLLECTION);
  }

  async replayEpoch(): Promise<string> {
    return (await guarded(() => this.state.findOne({ _id: EPOCH })))?.epoch ?? '';
  }

  async startReplayEpoch(epoch: string, at: Date): Promise<void> {
    await guarded(() => this.state.replaceOne({ _id: EPOCH }, { epoch, at: at.toISOString() }, { upsert: true }));
  }

  async createSubscription(subscription: Subscription, secret: string): Promise<void> {
    const { id, ...rest } = subscription;
    await guarded(() => this.subs.insertOne({ _id: id, ...rest, secret }));
  }

  async subscriptions(): Promise<Subscription[]> {
    const docs = await guarded(() => this.subs.find({}, { projection: { secret: 0 } }).toArray());
    return docs.map(subscriptionOf).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  async subscription(id: string): Promise<Subscription | undefined> {
    const doc = await guarded(() => this.subs.findOne({ _id: id }, { projection: { secret: 0 } }));
    return doc ? subscriptionOf(doc) : undefined;
  }

  async secretOf(id: string): Promise<string | undefined> {
    const doc = await guarded(() => this.subs.findOne({ _id: id }, { projection: { secret: 1 } }));
    return doc?.secret;
  }

  async deleteSubscription(id: string): Promise<boolean> {
    const result = await guarded(() => this.subs.deleteOne({ _id: id }));
    return result.deletedCount > 0;
  }

  async addDeliveries(deliveries: readonly NewDelivery[], now: Date): Promise<void> {
    if (deliveries.length === 0) return;
    const docs: DeliveryDocument[] = deliveries.map(({ id, ...d }) => ({
      _id: id,
      ...d,
      status: 'pending',
      attempts: 0,
      nextAttemptAt: now,
      createdAt: now,
    }));
    try {
      await guarded(() => this.deliveriesOf.insertMany(docs, { ordered: false }));
    } catch (e) {
      // some were there already (a redelivered batch): the others are written (unordered insert)
      const errors = (e as { writeErrors?: { code?: number }[] | { code?: number } }).writeErrors;
      const list = Array.isArray(errors) ? errors : errors ? [errors] : [];
      if ((e as { code?: number }).code !== DUPLICATE_KEY && (list.length === 0 || list.some((w) => w.code !== DUPLICATE_KEY)))
        throw e;
    }
  }

  async claimDue(now: Date, leaseMs: number): Promise<Delivery | undefined> {
    const doc = await guarded(() =>
      this.deliveriesOf.findOneAndUpdate(
        { status: 'pending', nextAttemptAt: { $lte: now } },
        { $set: { nextAttemptAt: new Date(now.getTime() + leaseMs) } },
        { sort: { nextAttemptAt: 1 }, returnDocument: 'before' },
      ),
    );
    return doc ? deliveryOf(doc) : undefined;
  }

  async recordAttempt(
    id: string,
    o: { status: DeliveryStatus; attempts: number; nextAttemptAt: Date; result: string; at: Date },
  ): Promise<void> {
    await guarded(() =>
      this.deliveriesOf.updateOne(
        { _id: id },
        {
          $set: {
            status: o.status,
            attempts: o.attempts,
            nextAttemptAt: o.nextAttemptAt,
            lastResult: o.result,
            lastAttemptAt: o.at,
            ...(o.status === 'delivered' ? { deliveredAt: o.at } : {}),
          },
        },
      ),
    );
  }

  async deliveries(filter: { subscriptionId?: string; status?: DeliveryStatus; limit: number }): Promise<Delivery[]> {
    const query: mongo.Filter<DeliveryDocument> = {
      ...(filter.subscriptionId ? { subscriptionId: filter.subscriptionId } : {}),
      ...(filter.status ? { status: filter.status } : {}),
    };
    const docs = await guarded(() => this.deliveriesOf.find(query).sort({ createdAt: -1, _id: 1 }).limit(filter.limit).toArray());
    return docs.map(deliveryOf);
  }

  async redeliver(id: string, now: Date): Promise<boolean> {
    const result = await guarded(() =>
      this.deliveriesOf.updateOne({ _id: id, status: 'dead' }, { $set: { status: 'pending', attempts: 0, nextAttemptAt: now } }),
    );
    return result.modifiedCount > 0;
  }
}
