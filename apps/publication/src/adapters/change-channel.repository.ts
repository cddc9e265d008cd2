import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { REDIS } from '@sozialmonitor/platform';
import type Redis from 'ioredis';
import { ChangeChannel } from '../application/ports/change-channel';
import { PublicationEnvironment } from '../publication.environment';

/** First wait before subscribing again after a failed SUBSCRIBE; doubled per failure up to the maximum. */
const RETRY_FIRST_MS = 250;
const RETRY_MAX_MS = 30_000;

/** Whether this instance hears the other instances' changes, for readiness details. */
export interface ChangeChannelState {
  readonly subscribed: boolean;
  /** Failed SUBSCRIBE attempts since the last success. */
  readonly failedAttempts: number;
  readonly lastError?: string;
}

/**
 * Redis pub/sub between the instances of the service (the only code that talks to the channel): the
 * instance that consumed a KPI event tells the others, whose stream clients then see the change too.
 * Best effort: while Redis is down, other instances' clients miss changes (the consuming instance's
 * own clients still get them directly). A SUBSCRIBE that fails is tried again with backoff until it
 * succeeds (and again at every reconnect); until then `state()` says so (change-channel.health.ts).
 */
@Injectable()
export class ChangeChannelRepository implements ChangeChannel, OnApplicationShutdown {
  private readonly log = new Logger('ChangeChannel');
  private readonly channel: string;
  private readonly subscriber: Redis;
  private listener?: (message: string) => void;
  private subscribed = false;
  private failedAttempts = 0;
  private lastError?: string;
  private retry?: NodeJS.Timeout;
  private closed = false;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    env: PublicationEnvironment,
  ) {
    this.channel = `${env.PUBLICATION_CACHE_PREFIX}:changes`;
    this.subscriber = redis.duplicate();
    // Connection errors of the subscriber: the shared client sees the same server (its state is
    // `sozialmonitor_redis_up`); here they only feed the readiness details, and the client reconnects itself.
    this.subscriber.on('error', (e: Error) => (this.lastError = e.message));
    this.subscriber.on('ready', () => this.subscribe());
    this.subscriber.on('close', () => (this.subscribed = false));
    this.subscriber.on('message', (channel: string, message: string) => {
      if (channel === this.channel) this.listener?.(message);
    });
  }

  private subscribe(): void {
    clearTimeout(this.retry);
    this.retry = undefined;
    if (this.closed) return;
    this.subscriber.subscribe(this.channel).then(
      () => {
        if (this.failedAttempts > 0) this.log.log(`subscribed to ${this.channel} after ${this.failedAttempts} failed attempts`);
        this.subscribed = true;
        this.failedAttempts = 0;
        this.lastError = undefined;
      },
      (e: Error) => {
        this.subscribed = false;
        this.lastError = e.message;
        const delay = Math.min(RETRY_FIRST_MS * 2 ** this.failedAttempts, RETRY_MAX_MS);
        this.failedAttempts += 1;
        this.log.warn(`subscribing to ${this.channel} failed (attempt ${this.failedAttempts}, again in ${delay} ms): ${e.message}`);
        if (this.closed) return;
        this.retry = setTimeout(() => this.subscribe(), delay);
        this.retry.unref();
      },
    );
  }

  state(): ChangeChannelState {
    return { subscribed: this.subscribed, failedAttempts: this.failedAttempts, lastError: this.lastError };
  }

  onMessage(listener: (message: string) => void): void {
    this.listener = listener;
  }

  publish(message: string): void {
    if (this.redis.status !== 'ready') return;
    // Best effort (see above): a lost notice costs other instances' stream clients one change, which they
    // see at their next reload; the publishing instance goes on.
    this.redis.publish(this.channel, message).catch((e: Error) => this.log.warn(`change not passed to the other instances: ${e.message}`));
  }

  onApplicationShutdown(): void {
    this.closed = true;
    clearTimeout(this.retry);
    this.subscriber.disconnect();
  }
}
