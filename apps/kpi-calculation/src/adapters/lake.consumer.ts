import { Inject, Injectable, Logger } from '@nestjs/common';
import { BatchConsumer, type BatchProgress, type ConsumedEvent, EventPublisher, jsonOf, KAFKA } from '@sozialmonitor/messaging';
import type { Kafka } from 'kafkajs';
import { type LakeEntry, lakeEntryOf } from '../domain/lake-entry';
import { TopicLag } from '../domain/recompute-timing';
import { KpiCalculationEnvironment, SERVICE } from '../kpi-calculation.environment';
import { KpiCalculationMetrics } from '../application/kpi-calculation.metrics';
import { Instance } from '../application/instance';
import { LakeOffsets, type PartitionOffsets } from './lake-offsets.admin';
import { LakeEngine } from '../application/lake-engine';
import { LakeStore } from '../application/lake-store';
import { RecomputeScheduler } from '../application/recompute-scheduler';

export function entriesOf(events: readonly ConsumedEvent[]): LakeEntry[] {
  return events.map((e) => lakeEntryOf(jsonOf<unknown>(e), Number(e.offset), `${e.partition}@${e.offset}`));
}

/** The entries of the well-formed messages among `events`. */
function wellFormedEntriesOf(events: readonly ConsumedEvent[]): LakeEntry[] {
  try {
    return entriesOf(events);
  } catch {
    return [];
  }
}

/**
 * The lake topic's consumers. The publisher instance consumes in the service's consumer group: it
 * stores new versions in MongoDB, applies them to its engine and schedules recomputation; its offsets
 * are committed after the store write. Every other instance keeps its engine current with a consumer
 * of its own (a group per instance, started where the service's group had committed when the
 * instance loaded the store), so that its on-demand answers see every record.
 */
@Injectable()
export class LakeConsumers {
  private readonly log = new Logger('LakeConsumers');
  private main?: BatchConsumer;
  private follower?: BatchConsumer;
  /** How far the main consumer is behind the lake topic's end: recomputation waits while it lags. */
  private readonly mainLag = new TopicLag();

  constructor(
    @Inject(KAFKA) private readonly kafka: Kafka,
    private readonly deadLetters: EventPublisher,
    private readonly env: KpiCalculationEnvironment,
    private readonly store: LakeStore,
    private readonly lake: LakeEngine,
    private readonly scheduler: RecomputeScheduler,
    private readonly metrics: KpiCalculationMetrics,
    private readonly instance: Instance,
    private readonly offsets: LakeOffsets,
  ) {}

  async startMain(): Promise<void> {
    if (this.main) return;
    const main = new BatchConsumer(this.kafka, this.deadLetters, {
      service: SERVICE,
      groupId: this.env.KPI_CALCULATION_GROUP_ID,
      topics: [this.env.LAKE_TOPIC],
      // A new group reads the whole lake (compacted, kept forever).
      fromBeginning: true,
      maxRetries: this.env.CONSUMER_MAX_RETRIES,
      handler: (events) => this.handleAsPublisher(events),
      progress: this.lagReport,
      log: (level, message, extra) =>
        this.log[level === 'info' ? 'log' : level](`${message} ${JSON.stringify(extra ?? {})}`),
    });
    this.main = main;
    await this.seedLag();
    if (this.main === main) await main.start(); // not stopped meanwhile
  }

  async stopMain(): Promise<void> {
    const c = this.main;
    this.main = undefined;
    await c?.stop();
    this.updateLag(() => this.mainLag.reset());
  }

  /** The main consumer's batches tell how far it is behind: recomputation waits while it lags. */
  private readonly lagReport: BatchProgress = {
    fetched: (partition, high, first) => this.updateLag(() => this.mainLag.fetched(partition, high, first)),
    processed: (partition, last) => this.updateLag(() => this.mainLag.processed(partition, last)),
    assigned: (assignment) => this.updateLag(() => this.mainLag.retain(assignment[this.env.LAKE_TOPIC] ?? [])),
  };

  /**
   * The lag before the first batch: from the group's committed offsets to the topic end, for every
   * partition (a partition's first batch may come only after other partitions' batches). Best effort:
   * without it the batches tell.
   */
  private async seedLag(): Promise<void> {
    const seed = await Promise.all([this.offsets.bounds(), this.offsets.committedOffsets()]).catch((e: Error) => {
      this.log.warn(`lake topic offsets unavailable (${e.name}); the lag is learnt from the batches`);
      return undefined;
    });
    this.updateLag(() => {
      this.mainLag.reset();
      if (!seed) return;
      const [bounds, committed] = seed;
      for (const p of bounds) this.mainLag.fetched(p.partition, Number(p.high), Number(committed.get(p.partition) ?? p.low));
    });
  }

  private updateLag(update: () => void): void {
    update();
    const behind = this.mainLag.behind;
    this.metrics.lakeLag.set(behind);
    this.scheduler.setLakeLag(behind);
  }

  async startFollower(from: PartitionOffsets): Promise<void> {
    if (this.follower) return;
    const groupId = `${this.env.KPI_CALCULATION_GROUP_ID}.engine.${this.instance.id}`;
    if (from.size > 0) await this.offsets.moveGroup(groupId, from);
    this.follower = new BatchConsumer(this.kafka, this.deadLetters, {
      service: SERVICE,
      groupId,
      topics: [this.env.LAKE_TOPIC],
      fromBeginning: true,
      maxRetries: this.env.CONSUMER_MAX_RETRIES,
      // Malformed messages are skipped here: the publisher's consumer dead-letters them (once).
      handler: async (events) => {
        const entries = events.flatMap((e) => wellFormedEntriesOf([e]));
        await this.lake.knowSourcesOf(entries);
        this.lake.apply(entries);
      },
      log: (level, message, extra) =>
        this.log[level === 'info' ? 'log' : level](`${message} ${JSON.stringify(extra ?? {})}`),
    });
    await this.follower.start();
  }

  async stopFollower(): Promise<void> {
    const c = this.follower;
    this.follower = undefined;
    await c?.stop();
  }

  /** One batch of one partition: store durably, then count, then schedule recomputation. */
  private async handleAsPublisher(events: ConsumedEvent[]): Promise<void> {
    const entries = entriesOf(events);
    // The store write runs in MongoDB while this process counts; the batch resolves (and commits)
    // only after the write: the engine is idempotent, so a failed write just repeats the batch.
    const storing = this.store.store(events[0].partition, entries, this.instance.id);
    await this.lake.knowSourcesOf(entries);
    const result = this.lake.apply(entries);
    const stored = await storing;
    this.metrics.lakeMessages.inc({ outcome: 'stored' }, stored);
    this.metrics.lakeMessages.inc({ outcome: 'unchanged' }, entries.length - stored);
    if (result.rejected.length > 0) {
      this.metrics.lakeMessages.inc({ outcome: 'uncountable' }, result.rejected.length);
      // record, field and rule only (privacy.md): never a value
      this.log.warn(`uncountable lake records ${JSON.stringify(result.rejected.slice(0, 20))}`);
    }
    this.scheduler.addChanges(result.changes, result.references, result.sources);
  }
}
