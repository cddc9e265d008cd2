import { Injectable, Logger, Optional } from '@nestjs/common';
import { ceSource, EVENT_TYPES, publishedContentHash } from '@sozialmonitor/contracts';
import { deterministicId, EventPublisher, type OutgoingEvent } from '@sozialmonitor/messaging';
import { PublishedValuesSource } from './ports/published-values.source';
import type { ComputedValue } from '../domain/indicator-value-calculator';
import { PublishedState } from '../domain/published-state';
import { KpiCalculationEnvironment, SERVICE } from '../kpi-calculation.environment';
import { KpiCalculationMetrics } from './kpi-calculation.metrics';
import { type PublishedValueRecord, ValueRoundStore } from './ports/value-round.store';
import { Holds } from './holds';

const ROUND_SIZE = 2000;
const COMPACT_AFTER_ROUNDS = 50;

/**
 * Publishes values whose published form changed (events.md), crash-safe without transactions:
 * 1. the changed values' published forms and the "to publish" mark go into MongoDB in one document
 *    write (a round), 2. they are published to Kafka (acknowledged by all in-sync replicas), 3. the
 *    mark is cleared. On start the rounds still marked are published again (same ce_id per content,
 *    so a consumer recognizes a re-send).
 */
@Injectable()
export class ValuePublisher {
  private readonly log = new Logger('ValuePublisher');
  private readonly state = new PublishedState();
  private readonly latest = new Map<string, PublishedValueRecord>();
  private counter = 0;
  /** The rounds stored now, in writing order. */
  private roundIds: string[] = [];

  constructor(
    private readonly repository: ValueRoundStore,
    private readonly publisher: EventPublisher,
    private readonly env: KpiCalculationEnvironment,
    private readonly metrics: KpiCalculationMetrics,
    @Optional() private readonly topic?: PublishedValuesSource,
    @Optional() private readonly holds?: Holds,
  ) {}

  /**
   * Reads what was published; publishes again what rounds still marked hold, but only where such a
   * round is the latest for the key (an older form must not follow a newer one); compacts old rounds.
   */
  async loadState(): Promise<void> {
    this.state.clear();
    this.latest.clear();
    let rounds = await this.repository.all();
    if (rounds.length === 0 && this.topic) rounds = await this.seedFromTopic();
    const latestRound = new Map<string, string>();
    for (const round of rounds) {
      for (const v of round.values) {
        // The hash is taken again from the stored published form, not from `h`: rounds written before
        // the published-content hash moved to libs/contracts carry a hash of another text, and the same
        // content must not count as changed (and be published again) after an upgrade. `hash` stays what a
        // re-send's ce_id is built from.
        this.state.record(v.key, publishedContentHash(v.payload));
        this.latest.set(v.key, v);
        latestRound.set(v.key, round.id);
      }
    }
    this.roundIds = rounds.map((r) => r.id);
    const pending = rounds.filter((r) => r.pending);
    for (const round of pending) {
      await this.publisher.publish(
        round.values.filter((v) => latestRound.get(v.key) === round.id).map((v) => this.eventOf(v)),
      );
      await this.repository.clearMark(round.id);
    }
    if (pending.length > 0) this.log.log(`published ${pending.length} round(s) left marked by an earlier run`);
    await this.compactWhenLong();
  }

  /**
   * No round stored (a new or a lost database): what the KPI topic holds was published, by an earlier
   * store of this service. Stored as published rounds, so that the replay that rebuilds the lake
   * publishes only values whose form really differs (docs/operations.md, recovery).
   */
  private async seedFromTopic() {
    const published = await this.topic!.latest();
    if (published.length === 0) return [];
    for (let i = 0; i < published.length; i += ROUND_SIZE)
      await this.repository.insertPublished(this.nextRoundId(), published.slice(i, i + ROUND_SIZE));
    this.log.warn(`no published values stored: took the ${published.length} values on ${this.env.KPI_VALUES_TOPIC} as published`);
    return this.repository.all();
  }

  /** The stored published form of a key (the last one published). */
  storedValue(key: string): PublishedValueRecord | undefined {
    return this.latest.get(key);
  }

  /**
   * Publishes the values whose published form differs from the last published one; returns how many.
   * Held values (a held year, or an indicator a held catalogue version brings) are left out (not recorded
   * either, so the release publishes them) unless this is their hold's release (`release`: its id); a
   * released value is never dated before its release time.
   */
  async publishChanged(values: readonly ComputedValue[], options: { release?: string } = {}): Promise<number> {
    if (this.holds) {
      const holds = await this.holds.refresh();
      values = values
        .filter((v) => !holds.holdsValue(v.payload, options.release))
        .map((v) => {
          const computedAt = holds.stamp(v.payload, v.payload.computedAt);
          return computedAt === v.payload.computedAt ? v : { ...v, payload: { ...v.payload, computedAt } };
        });
    }
    const changed = values.filter((v) => this.state.isChanged(v.key, v.hash));
    for (let i = 0; i < changed.length; i += ROUND_SIZE) {
      const chunk = changed.slice(i, i + ROUND_SIZE);
      const stored: PublishedValueRecord[] = chunk.map((v) => ({
        key: v.key,
        hash: v.hash,
        payload: v.payload,
        exact: { value: v.exact.value, counts: v.exact.counts },
      }));
      const id = this.nextRoundId();
      await this.repository.insertPending(id, stored);
      await this.publisher.publish(stored.map((v) => this.eventOf(v)));
      await this.repository.clearMark(id);
      for (const v of stored) {
        this.state.record(v.key, v.hash);
        this.latest.set(v.key, v);
      }
      this.roundIds.push(id);
      this.metrics.valuesPublished.inc(chunk.length);
    }
    // A long-leading instance compacts too, not only the next one to start: every round is read at start.
    await this.compactWhenLong();
    return changed.length;
  }

  private async compactWhenLong(): Promise<void> {
    if (this.roundIds.length > COMPACT_AFTER_ROUNDS) await this.compact(this.roundIds);
  }

  /** Rewrites the latest form of every key as fresh rounds and deletes the older rounds. */
  private async compact(olderIds: readonly string[]): Promise<void> {
    const all = [...this.latest.values()];
    const fresh: string[] = [];
    for (let i = 0; i < all.length; i += ROUND_SIZE) {
      const id = this.nextRoundId();
      await this.repository.insertPublished(id, all.slice(i, i + ROUND_SIZE));
      fresh.push(id);
    }
    await this.repository.deleteRounds(olderIds);
    this.roundIds = fresh;
    this.log.log(`compacted ${olderIds.length} value rounds into ${fresh.length}`);
  }

  /** Round ids sort in writing order: time, then a counter within the process. */
  private nextRoundId(): string {
    return `${String(Date.now()).padStart(15, '0')}-${String(this.counter++).padStart(9, '0')}`;
  }

  private eventOf(v: PublishedValueRecord): OutgoingEvent {
    return {
      topic: this.env.KPI_VALUES_TOPIC,
      key: v.key,
      id: deterministicId(v.key, v.hash),
      type: EVENT_TYPES.kpiValue,
      source: ceSource(SERVICE),
      subject: v.key,
      time: v.payload.computedAt,
      data: v.payload,
    };
  }
}
