import { TOPICS, topicSettings } from '@sozialmonitor/contracts';
import { ensureTopics } from '@sozialmonitor/messaging';
import type { Kafka } from 'kafkajs';

export type ContractTopic = keyof typeof TOPICS;

/** A test run's own topics, each standing in for a contract topic (RAW_TOPIC, LAKE_TOPIC, …). */
export interface PrivateTopics<K extends ContractTopic> {
  readonly names: Readonly<Record<K, string>>;
  /** Deletes them. */
  remove(): Promise<void>;
}

/**
 * Creates `<prefix>.<kind>` for each kind with the settings of the contract topic it stands in for, so
 * that a test's services write nothing to the shared contract topics: the local stack (`npm run demo`)
 * on the same broker never consumes a test's records, nor a test the stack's.
 */
export async function createPrivateTopics<K extends ContractTopic>(
  kafka: Kafka,
  prefix: string,
  kinds: readonly K[],
  partitions = 3,
): Promise<PrivateTopics<K>> {
  const names = Object.fromEntries(kinds.map((kind) => [kind, `${prefix}.${kind}`])) as Record<K, string>;
  const settings = topicSettings();
  await ensureTopics(
    kafka,
    kinds.map((kind) => ({ ...settings.find((t) => t.name === TOPICS[kind])!, name: names[kind] })),
    { partitions, replicationFactor: 1 },
  );
  return {
    names,
    async remove() {
      const admin = kafka.admin();
      await admin.connect();
      try {
        await admin.deleteTopics({ topics: Object.values(names) });
      } finally {
        await admin.disconnect();
      }
    },
  };
}
