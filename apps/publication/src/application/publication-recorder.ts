import { Injectable } from '@nestjs/common';
import { type ConsumedEvent, jsonOf } from '@sozialmonitor/messaging';
import { AnswerCacheRepository } from '../adapters/answer-cache.repository';
import { PublishedValueRepository } from '../adapters/published-value.repository';
import { invalidationsFor } from '../domain/cache-plan';
import { toPublishedForm } from '../domain/published-value';
import {
  type HistoryEntry,
  historyEntryOf,
  stateChanged,
  stateOf,
  type ValueState,
  visiblyDifferent,
} from '../domain/value-history';
import { recordOfState } from '../domain/value-record';
import { ChangeFeed } from './change-feed';
import { ReadEpoch } from './read-epoch';

/**
 * Applies a batch of KPI messages to the read model, then retires the affected cache entries and tells
 * stream clients. Idempotent: a message seen before adds no history entry and changes no state; the
 * cache entries of every key in the batch are retired anyway, so that a batch redelivered after a crash
 * between the database write and the invalidation cannot leave a stale answer behind.
 */
@Injectable()
export class PublicationRecorder {
  constructor(
    private readonly values: PublishedValueRepository,
    private readonly cache: AnswerCacheRepository,
    private readonly feed: ChangeFeed,
    private readonly epoch: ReadEpoch,
  ) {}

  async record(events: readonly ConsumedEvent[]): Promise<void> {
    const byKey = new Map<string, HistoryEntry[]>();
    for (const event of events) {
      if (event.value === null) continue; // a tombstone of the compacted topic: nothing to publish
      const entry = historyEntryOf(toPublishedForm(jsonOf(event)));
      byKey.set(entry.key, [...(byKey.get(entry.key) ?? []), entry]);
    }
    if (byKey.size === 0) return;
    const after: ValueState[] = [];
    for (const entries of byKey.values()) {
      const state = stateOf(await this.values.addToHistory(entries));
      if (state) after.push(state);
    }
    // Compared with what the API reads (not with the history before): a batch redelivered after a crash
    // between the history write and the state write still brings the states up to date.
    const stored = await this.values.storedStates(after);
    await this.values.saveStates(after.filter((s) => stateChanged(stored.get(s.key), s)));

    this.epoch.advance();
    await this.cache.invalidate(invalidationsFor(after));
    this.feed.announce(
      after
        .filter((s) => visiblyDifferent(stored.get(s.key), s))
        .map((s) => ({ id: s.latestEntryId, publishedAt: s.publishedAt, record: recordOfState(s) })),
    );
  }
}
