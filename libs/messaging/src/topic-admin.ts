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
          numPartitions: layout.partitions,
          replicationFactor: layout.replicationFactor,
          configEntries: Object.entries(t.config).map(([name, value]) => ({ name, value })),
        })),
      });
    } catch (e) {
      // Another instance created them at the same moment: fine, as long as they now exist.
      const now = new Set(await admin.listTopics());
      if (!missing.every((t) => now.has(t.name))) throw e;
    }
    return missing.map((t) => t.name);
  } finally {
    await admin.disconnect();
  }
}
