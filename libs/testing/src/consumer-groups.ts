import type { Kafka } from 'kafkajs';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Deletes every consumer group whose name starts with `prefix`; a group whose members are still leaving is tried again. */
export async function deleteGroupsStartingWith(kafka: Kafka, prefix: string, attempts = 45): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    for (let attempt = 1; ; attempt++) {
      const ours = (await admin.listGroups()).groups.map((g) => g.groupId).filter((g) => g.startsWith(prefix));
      if (ours.length === 0) return;
      try {
        await admin.deleteGroups(ours);
        return;
      } catch (e) {
        // Groups already gone drop out of the next listing; non-empty ones get another try (a consumer
        // cut off by a service's forced exit stays a member until its session times out, 30 s).
        const failed = (e as { groups?: { groupId: string; error?: { type?: string } }[] }).groups ?? [];
        if (attempt >= attempts)
          throw new Error(
            `consumer groups not deleted: ${failed.map((g) => `${g.groupId} (${g.error?.type})`).join(', ')}`,
          );
        await sleep(1000);
      }
    }
  } finally {
    await admin.disconnect();
  }
}
