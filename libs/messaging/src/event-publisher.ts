import { Partitioners, type Kafka, type Producer } from 'kafkajs';
import type { OutgoingEvent } from './cloud-event';
import { encodeCloudEvent } from './cloud-event-codec';

type EncodedMessage = ReturnType<typeof encodeCloudEvent>;

const MAX_REQUEST_BYTES = 512 * 1024;

const sizeOf = (m: EncodedMessage): number => {
  let bytes = Buffer.byteLength((m.value as Buffer | string | null) ?? '') + Buffer.byteLength(String(m.key ?? ''));
  for (const [k, v] of Object.entries(m.headers ?? {})) bytes += k.length + Buffer.byteLength(String(v ?? ''));
  return bytes;
};

/** Consecutive requests of at most `maxCount` messages and ~MAX_REQUEST_BYTES (a larger message goes alone). */
export function requestsOf<T extends { message: EncodedMessage }>(items: readonly T[], maxCount: number): T[][] {
  const requests: T[][] = [];
  let request: T[] = [];
  let bytes = 0;
  for (const item of items) {
    const size = sizeOf(item.message);
    if (request.length > 0 && (request.length >= maxCount || bytes + size > MAX_REQUEST_BYTES)) {
      requests.push(request);
      request = [];
      bytes = 0;
    }
    request.push(item);
    bytes += size;
  }
  if (request.length > 0) requests.push(request);
  return requests;
}

/**
 * An idempotent producer (acks from all in-sync replicas). `publish` resolves only when Kafka has
 * acknowledged every event: callers answer their clients or commit their input after that.
 */
export class EventPublisher {
  private readonly producer: Producer;
  private connected?: Promise<void>;

  constructor(
    kafka: Kafka,
    private readonly maxBatch = 2000,
  ) {
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

  /**
   * Sends in requests of at most `maxBatch` events and ~512 KiB (measured on the encoded messages), one
   * after the other, order kept: a topic with few partitions must never receive a record batch over the
   * broker's max.message.bytes (1 MiB by default), which it would refuse however often it is retried.
   */
  async publish(events: OutgoingEvent[]): Promise<void> {
    if (events.length === 0) return;
    await this.connect();
    for (const chunk of requestsOf(
      events.map((e) => ({ topic: e.topic, message: encodeCloudEvent(e) })),
      this.maxBatch,
    )) {
      const byTopic = new Map<string, EncodedMessage[]>();
      for (const { topic, message } of chunk) {
        const list = byTopic.get(topic) ?? [];
        list.push(message);
        byTopic.set(topic, list);
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
