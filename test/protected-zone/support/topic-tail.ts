import { decodeCloudEvent, type ConsumedEvent } from '@sozialmonitor/messaging';
import type { Consumer, Kafka } from 'kafkajs';
import { randomUUID } from 'node:crypto';

/** Commits a (new) consumer group's offsets at the current end of a topic: it will see only what comes next. */
export async function placeGroupAtEnd(kafka: Kafka, groupId: string, topic: string): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    await admin.setOffsets({
      groupId,
      topic,
      partitions: offsets.map((o) => ({ partition: o.partition, offset: o.high })),
    });
  } finally {
    await admin.disconnect();
  }
}

/** Everything published to a topic after `TopicTail.start`, decoded; for assertions in integration tests. */
export class TopicTail {
  readonly events: ConsumedEvent[] = [];
  private constructor(private readonly consumer: Consumer) {}

  /** `groupId`: a name of the caller's (to delete the group afterwards), else a random one. */
  static async start(kafka: Kafka, topic: string, groupId = `test-tail-${randomUUID()}`): Promise<TopicTail> {
    await placeGroupAtEnd(kafka, groupId, topic);
    const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false });
    const tail = new TopicTail(consumer);
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: false });
    await consumer.run({
      eachMessage: async ({ topic: t, partition, message }) =>
        void tail.events.push(decodeCloudEvent(t, partition, message)),
    });
    return tail;
  }

  /** Waits until `count` events match, returns them (in arrival order). */
  async waitFor(match: (e: ConsumedEvent) => boolean, count = 1, timeoutMs = 60_000): Promise<ConsumedEvent[]> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const found = this.events.filter(match);
      if (found.length >= count) return found;
      if (Date.now() > end) throw new Error(`only ${found.length} of ${count} expected events arrived`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  matching(match: (e: ConsumedEvent) => boolean): ConsumedEvent[] {
    return this.events.filter(match);
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect();
  }
}
