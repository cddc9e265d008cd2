import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { ChangeChannel } from './ports/change-channel';
import type { ValueRecord } from '../domain/value-record';

/** A published change of one value, as the stream sends it. */
export interface PublishedChange {
  /** The history entry's id: the same publication has the same id on every instance. */
  readonly id: string;
  readonly publishedAt: string;
  readonly record: ValueRecord;
}

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
        const message = JSON.parse(text) as { origin: string; changes: PublishedChange[] };
        if (message.origin !== this.origin) this.deliver(message.changes);
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

  private deliver(changes: readonly PublishedChange[]): void {
    for (const change of changes) for (const listener of this.listeners) listener(change);
  }
}
