import { topicSettings } from '@sozialmonitor/contracts';
import type { Consumer, Kafka } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { decodeCloudEvent } from './cloud-event-codec';
import type { ConsumedEvent } from './cloud-event';
import { ensureTopics } from './topic-admin';

/** Where a follower reports (a Nest `Logger` fits). */
export interface FollowerLog {
  log(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface TopicFollowerOptions {
  /** The configured topic name (tests use private ones). */
  readonly topic: string;
  /** The contract's name of the topic (`TOPICS.*`): its settings create the topic when it is missing. */
  readonly contractTopic: string;
  /** Prefix of the throwaway consumer group (`<prefix>-<uuid>`, deleted at stop). */
  readonly groupPrefix: string;
  readonly replicationFactor: number;
  readonly log: FollowerLog;
  /** Called for every batch in offset order per partition; an error is logged and the batch is skipped. */
  readonly handler: (events: ConsumedEvent[]) => void | Promise<void>;
}

/** How long `stop` waits for a start under way. */
const STOP_WAIT_MS = 10_000;
/** Longest sleep between two looks in `waitFor` when no batch arrives. */
const POLL_MS = 500;

/**
 * Reads a small compacted topic from its beginning and then follows it, in every instance (a consumer
 * group of its own that commits nothing): for state every instance must hold in full, such as the
 * indicator catalogue and the source declarations. The one set-up for every such topic: the topic is
 * created when missing, `start()` resolves once everything that was on the topic at the call is handled
 * (idempotent; a failed start is tried again by the next call), `catchUp` and `waitFor` wait for later
 * writes, and `stop` leaves no consumer or consumer group behind.
 */
export class TopicFollower {
  private consumer?: Consumer;
  private groupId?: string;
  private started?: Promise<void>;
  /** Next offset to read per partition: what has been handled. */
  private readonly consumed = new Map<number, bigint>();
  private waiters: Array<() => void> = [];

  constructor(
    private readonly kafka: Kafka,
    private readonly options: TopicFollowerOptions,
  ) {}

  get topic(): string {
    return this.options.topic;
  }

  /** Reads the topic to its end, then follows it (every caller may await it). */
  start(): Promise<void> {
    return (this.started ??= this.follow().catch(async (e: unknown) => {
      this.started = undefined; // a later call tries again
      try {
        await this.release();
      } catch (releaseError) {
        this.options.log.warn(`${this.topic}: consumer of a failed start not released: ${(releaseError as Error).message}`);
      }
      throw e;
    }));
  }

  private async follow(): Promise<void> {
    const settings = topicSettings().find((t) => t.name === this.options.contractTopic);
    if (!settings) throw new Error(`${this.options.contractTopic} is not a topic of the contract`);
    await ensureTopics(this.kafka, [{ ...settings, name: this.topic }], {
      partitions: settings.partitions ?? 1,
      replicationFactor: this.options.replicationFactor,
    });
    const ends = new Map((await this.endOffsets()).map((p) => [p.partition, p.high]));
    this.groupId = `${this.options.groupPrefix}-${randomUUID()}`;
    const consumer = this.kafka.consumer({ groupId: this.groupId, allowAutoTopicCreation: false, maxWaitTimeInMs: 500 });
    this.consumer = consumer;
    await consumer.connect();
    await consumer.subscribe({ topics: [this.topic], fromBeginning: true });
    let caughtUp!: () => void;
    const done = new Promise<void>((resolve) => (caughtUp = resolve));
    if (ends.size === 0) caughtUp();
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        const events = batch.messages.map((m) => decodeCloudEvent(batch.topic, batch.partition, m));
        try {
          await this.options.handler(events);
        } catch (e) {
          this.options.log.error(`${this.topic}: batch skipped: ${(e as Error).message}`);
        }
        const next = BigInt(batch.lastOffset()) + 1n;
        this.consumed.set(batch.partition, next);
        const waiters = this.waiters;
        this.waiters = [];
        for (const w of waiters) w();
        const end = ends.get(batch.partition);
        if (end !== undefined && next >= end) {
          ends.delete(batch.partition);
          if (ends.size === 0) caughtUp();
        }
      },
    });
    await done;
  }

  /** The end offsets of the partitions that hold anything. */
  private async endOffsets(): Promise<Array<{ partition: number; high: bigint }>> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const offsets = await admin.fetchTopicOffsets(this.topic);
      return offsets.filter((p) => BigInt(p.high) > BigInt(p.low)).map((p) => ({ partition: p.partition, high: BigInt(p.high) }));
    } finally {
      await admin.disconnect();
    }
  }

  /**
   * Waits until everything on the topic at the call has been handled (at most `timeoutMs`; starts the
   * follower when it is not running): for a write another instance made a moment ago.
   */
  async catchUp(timeoutMs: number): Promise<void> {
    await this.start();
    const ends = await this.endOffsets();
    const behind = () => ends.some((p) => (this.consumed.get(p.partition) ?? 0n) < p.high);
    await this.waitFor(() => !behind(), timeoutMs);
  }

  /** Resolves true once `condition` holds, re-checked after every batch; false after `timeoutMs`. */
  async waitFor(condition: () => boolean, timeoutMs: number): Promise<boolean> {
    const end = Date.now() + timeoutMs;
    while (!condition()) {
      const left = end - Date.now();
      if (left <= 0) return false;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, POLL_MS));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return true;
  }

  /** Stops following; a start still under way is given a moment to finish first, so no consumer outlives the service. */
  async stop(): Promise<void> {
    const starting = this.started;
    if (starting) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        // A failed start was reported to whoever awaited it and has released what it held already.
        starting.then(
          () => undefined,
          () => undefined,
        ),
        new Promise<void>((resolve) => (timer = setTimeout(resolve, STOP_WAIT_MS))),
      ]);
      clearTimeout(timer);
    }
    await this.release();
  }

  /** Disconnects the consumer and deletes its throwaway group. */
  private async release(): Promise<void> {
    const consumer = this.consumer;
    const groupId = this.groupId;
    this.consumer = undefined;
    this.groupId = undefined;
    if (!consumer || !groupId) return;
    await consumer.disconnect();
    const admin = this.kafka.admin();
    try {
      await admin.connect();
      await admin.deleteGroups([groupId]);
    } catch (e) {
      // The group commits no offsets, so the broker forgets it once it is empty; deleting it only tidies up at once.
      this.options.log.warn(`consumer group ${groupId} not deleted (the broker drops it when it expires): ${(e as Error).message}`);
    } finally {
      await admin.disconnect();
    }
  }
}
