import { Injectable } from '@nestjs/common';
import { type ConsumedEvent, jsonOf } from '@sozialmonitor/messaging';
import { toPublishedForm } from '../domain/published-value';
import { historyEntryOf, visiblyDifferent } from '../domain/value-history';
import { recordOfState } from '../domain/value-record';
import { ChangeFeed } from './change-feed';
import { ReadModel } from './read-model';

/**
 * Applies a batch of KPI messages to the read model and tells stream clients what readers now see
 * differently. Idempotent: a message seen before adds nothing to the log, changes no state and sends
 * no stream event. Every message is validated before anything is written, so a bad one (retried, then
 * dead-lettered by the transport) never leaves half a batch behind.
 */
@Injectable()
export class PublicationRecorder {
  constructor(
    private readonly model: ReadModel,
    private readonly feed: ChangeFeed,
  ) {}

  async record(events: readonly ConsumedEvent[]): Promise<void> {
    const entries = events
      .filter((event) => event.value !== null) // a tombstone of the compacted topic: nothing to publish
      .map((event) => historyEntryOf(toPublishedForm(jsonOf(event))));
    if (entries.length === 0) return;
    const changes = await this.model.record(entries);
    this.feed.announce(
      changes
        .filter(({ before, after }) => visiblyDifferent(before, after))
        .map(({ after }) => ({
          id: after.latestEntryId,
          publishedAt: after.publishedAt,
          record: recordOfState(after),
        })),
    );
  }
}
