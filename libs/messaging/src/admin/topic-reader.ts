import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { decodeCloudEvent } from '../cloud-event-codec';
import type { ConsumedEvent } from '../cloud-event';

/**
 * Reads a topic from its beginning up to the end offsets seen at the call (a bounded scan), with a
 * throwaway consumer group that is deleted afterwards. For admin views of small topics (dead letters,
 * the control topic's audit trail) — not for bulk data.
 */
export async function readTopic(kafka: Kafka, topic: string, options: { limit?: number; timeoutMs?: number } = {}): Promise<ConsumedEvent[]> {
  // With a limit only the newest `limit` messages of each partition are read (seek near the end).
  const admin = kafka.admin();
  await admin.connect();
  const groupId = `sozialmonitor-admin-read-${randomUUID()}`;
  try {
    const ends = (await admin.fetchTopicOffsets(topic)).filter((p) => BigInt(p.high) > BigInt(p.low));
    const startOf = (p: { low: string; high: string }) => {
      if (!options.limit) return p.low;
      const from = BigInt(p.high) - BigInt(options.limit);
      return (from > BigInt(p.low) ? from : BigInt(p.low)).toString();
    };
    if (ends.length === 0) return [];
    const pending = new Map(ends.map((p) => [p.partition, BigInt(p.high)]));
    const out: ConsumedEvent[] = [];
    const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false });
    await consumer.connect();
    try {
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`reading ${topic} took longer than ${options.timeoutMs ?? 30_000} ms`)), options.timeoutMs ?? 30_000);
        consumer
          .run({
            autoCommit: false,
            eachBatch: async ({ batch }) => {
              const end = pending.get(batch.partition);
              if (end === undefined) return;
              for (const m of batch.messages) {
                if (BigInt(m.offset) >= end) break;
                out.push(decodeCloudEvent(topic, batch.partition, m));
              }
              if (BigInt(batch.lastOffset()) + 1n >= end) pending.delete(batch.partition);
              if (pending.size === 0) {
                clearTimeout(timer);
                resolve();
              }
            },
          })
          .then(() => {
            for (const p of ends) consumer.seek({ topic, partition: p.partition, offset: startOf(p) });
          })
          .catch(reject);
      });
    } finally {
      await consumer.disconnect();
    }
    const sorted = out.sort((a, b) => a.partition - b.partition || Number(BigInt(a.offset) - BigInt(b.offset)));
    return options.limit ? sorted.slice(-options.limit) : sorted;
  } finally {
    // The group commits no offsets: the broker forgets it once empty; deleting it only tidies up at once.
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.disconnect();
  }
}
