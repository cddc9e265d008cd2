import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { REDIS } from '@sozialmonitor/platform';
import type Redis from 'ioredis';
import { ChangeChannel } from '../application/ports/change-channel';
import { PublicationEnvironment } from '../publication.environment';

/**
 * Redis pub/sub between the instances of the service (the only code that talks to the channel): the
 * instance that consumed a KPI event tells the others, whose stream clients then see the change too.
 * Best effort: while Redis is down, other instances' clients miss changes (the consuming instance's
 * own clients still get them directly).
 */
@Injectable()
export class ChangeChannelRepository implements ChangeChannel, OnApplicationShutdown {
  private readonly channel: string;
  private readonly subscriber: Redis;
  private listener?: (message: string) => void;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    env: PublicationEnvironment,
  ) {
    this.channel = `${env.PUBLICATION_CACHE_PREFIX}:changes`;
    this.subscriber = redis.duplicate();
    this.subscriber.on('error', () => undefined);
    this.subscriber.on('ready', () => void this.subscriber.subscribe(this.channel).catch(() => undefined));
    this.subscriber.on('message', (channel: string, message: string) => {
      if (channel === this.channel) this.listener?.(message);
    });
  }

  onMessage(listener: (message: string) => void): void {
    this.listener = listener;
  }

  publish(message: string): void {
    if (this.redis.status !== 'ready') return;
    this.redis.publish(this.channel, message).catch(() => undefined);
  }

  onApplicationShutdown(): void {
    this.subscriber.disconnect();
  }
}
