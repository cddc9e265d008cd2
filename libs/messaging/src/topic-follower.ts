import type { TopicSettings } from '@sozialmonitor/contracts';
import type { Consumer, Kafka } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { decodeCloudEvent } from './cloud-event-codec';
import type { ConsumedEvent } from './cloud-event';
import { ensureTopics } from './topic-admin';

export interface TopicFollowerOptions {
  /** Prefix of the throwaway consumer group (`<prefix>-<uuid>`, deleted at stop). */
  readonly groupPrefix: string;
  /** Called for every batch in offset order per partition; an error is logged and the batch is skipped. */
  readonly handler: (events: ConsumedEvent[]) => void | Promise<void>;
  readonly onError?: (error: Error) => void;
  /** Creates the topic first with these settings (a configured name instead of the contract's). */
  readonly ensure?: { readonly settings: TopicSettings; readonly replicationFactor: number };
}

/**
 * Reads a small compacted topic from its beginning and then follows it, in every instance (a consumer
 * group of its own that commits nothing): for state every instance must hold in full, such as the
 * indicator catalogue. `start()` resolves once everything that was on the topic at the call is handled.
 */
export class TopicFollower {
  private consumer?: Consumer;
  private groupId?: string;

  constructor(
    private readonly kafka: Kafka,
    private readonly topic: string,
    private readonly options: TopicFollowerOptions,
  ) {}

  async start(): Promise<void> {
    const ensure = this.options.ensure;
    if (ensure)
      await ensureTopics(this.kafka, [{ ...ensure.settings, name: this.topic }], {
        partitions: ensure.settings.partitions ?? 1,
        replicationFactor: ensure.replicationFactor,
      });
    const admin = this.kafka.admin();
    await admin.connect();
    let ends: Map<number, bigint>;
    try {
      const offsets = await admin.fetchTopicOffsets(this.topic);
      ends = new Map(offsets.filter((p) => BigInt(p.high) > BigInt(p.low)).map((p) => [p.partition, BigInt(p.high)]));
    } finally {
      await admin.disconnect();
    }
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
          this.options.onError?.(e as Error);
        }
        const end = ends.get(batch.partition);
        if (end !== undefined && BigInt(batch.lastOffset()) + 1n >= end) {
          ends.delete(batch.partition);
          if (ends.size === 0) caughtUp();
        }
      },
    });
    await done;
  }

  async stop(): Promise<void> {
    const consumer = this.consumer;
    this.consumer = undefined;
    if (!consumer) return;
    await consumer.disconnect();
    const admin = this.kafka.admin();
    await admin.connect();
    await admin.deleteGroups([this.groupId!]).catch(() => undefined);
    await admin.disconnect();
  }
}
