import { Partitioners, type Kafka, type Producer } from 'kafkajs';
import type { OutgoingEvent } from './cloud-event';
import { encodeCloudEvent } from './cloud-event-codec';

/**
 * An idempotent producer (acks from all in-sync replicas). `publish` resolves only when Kafka has
 * acknowledged every event: callers answer their clients or commit their input after that.
 */
export class EventPublisher {
  private readonly producer: Producer;
  private connected?: Promise<void>;

  constructor(kafka: Kafka, private readonly maxBatch = 2000) {
    this.producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      // murmur2 like the Java client: other systems' producers put a key on the same partition.
      createPartitioner: Partitioners.DefaultPartitioner,
    });
  }

  connect(): Promise<void> {
    this.connected ??= this.producer.connect().catch((e) => {
      this.connected = undefined;
      throw e;
    });
    return this.connected;
  }

  async publish(events: OutgoingEvent[]): Promise<void> {
    if (events.length === 0) return;
    await this.connect();
    for (let i = 0; i < events.length; i += this.maxBatch) {
      const chunk = events.slice(i, i + this.maxBatch);
      const byTopic = new Map<string, ReturnType<typeof encodeCloudEvent>[]>();
      for (const e of chunk) {
        const list = byTopic.get(e.topic) ?? [];
        list.push(encodeCloudEvent(e));
        byTopic.set(e.topic, list);
      }
      await this.producer.sendBatch({
        acks: -1,
        topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
      });
    }
  }

  async disconnect(): Promise<void> {
    if (!this.connected) return;
    this.connected = undefined;
    await this.producer.disconnect();
  }
}
