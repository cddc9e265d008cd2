import type { Admin, Kafka } from 'kafkajs';
import type { TopicSettings } from '@sozialmonitor/contracts';

export interface TopicLayout {
  partitions: number;
  replicationFactor: number;
}

/**
 * Creates the topics the system owns with their settings (events.md: never by auto-creation).
 * Idempotent: existing topics are left as they are. Waits for leaders because consumers of a topic
 * without a leader fail on KRaft.
 */
export async function ensureTopics(kafka: Kafka, topics: TopicSettings[], layout: TopicLayout): Promise<string[]> {
  const admin: Admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((t) => !existing.has(t.name));
    if (missing.length === 0) return [];
    try {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((t) => ({
          topic: t.name,
          numPartitions: t.partitions ?? layout.partitions,
          replicationFactor: layout.replicationFactor,
          configEntries: Object.entries(t.config).map(([name, value]) => ({ name, value })),
        })),
      });
    } catch (e) {
      // Another instance created them at the same moment, or kafkajs gave up waiting for leaders (it
      // retries only "leader not available", while a fresh KRaft broker first answers "unknown topic"):
      // fine, as long as they now exist and get leaders below.
      const unknownYet = (e as { type?: string }).type === 'UNKNOWN_TOPIC_OR_PARTITION';
      const now = new Set(await admin.listTopics());
      if (!unknownYet && !missing.every((t) => now.has(t.name))) throw e;
    }
    await untilLed(
      admin,
      missing.map((t) => t.name),
    );
    return missing.map((t) => t.name);
  } finally {
    await admin.disconnect();
  }
}

/**
 * Waits until every partition of the topics has a leader that answers for it: before that, offsets and
 * fetches fail. Metadata naming a leader is not enough on a fresh KRaft broker — its ListOffsets may still
 * answer "not the leader for that topic-partition" for a moment (a CI run's first test failed so) — so
 * the offsets of every topic are read too.
 */
async function untilLed(admin: Admin, topics: string[], timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    try {
      const meta = await admin.fetchTopicMetadata({ topics });
      if (
        meta.topics.length === topics.length &&
        meta.topics.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0))
      ) {
        for (const topic of topics) await admin.fetchTopicOffsets(topic);
        return;
      }
      if (Date.now() > end) throw new Error(`topics ${topics.join(', ')} have no leaders after ${timeoutMs} ms`);
    } catch (e) {
      if (Date.now() > end) throw e;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}
