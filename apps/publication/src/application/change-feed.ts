import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { ChangeChannel } from './ports/change-channel';
import { type PublishedChange, toPublishedChange } from '../domain/published-change';

export type { PublishedChange } from '../domain/published-change';

type Listener = (change: PublishedChange) => void;

/**
 * Fans published changes out to the stream clients of every instance: directly to this instance's
 * clients, and over the Redis channel to the others (which ignore their own messages).
 */
@Injectable()
export class ChangeFeed {
  private readonly log = new Logger('ChangeFeed');
  private readonly origin = randomUUID();
  private readonly listeners = new Set<Listener>();

  constructor(private readonly channel: ChangeChannel) {
    channel.onMessage((text) => {
      try {
        const message = JSON.parse(text) as { origin?: unknown; changes?: unknown };
        if (message.origin === this.origin) return;
        if (!Array.isArray(message.changes)) throw new Error('changes must be a list');
        this.deliver(message.changes);
      } catch {
        this.log.warn('ignored a malformed change message');
      }
    });
  }

  announce(changes: readonly PublishedChange[]): void {
    if (changes.length === 0) return;
    this.deliver(changes);
    this.channel.publish(JSON.stringify({ origin: this.origin, changes }));
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get subscribers(): number {
    return this.listeners.size;
  }

  /**
   * Every change passes the published form's allow-list again before any client sees it (issue 11,
   * hole 8): the channel is Redis, and whoever can publish there must not reach the stream clients with
   * content of their own. A change that fails is dropped and logged by field, never by value.
   */
  private deliver(changes: readonly unknown[]): void {
    for (const raw of changes) {
      let change: PublishedChange;
      try {
        change = toPublishedChange(raw);
      } catch (e) {
        this.log.warn(`dropped a change that is no published value: ${(e as Error).message}`);
        continue;
      }
      for (const listener of this.listeners) listener(change);
    }
  }
}
