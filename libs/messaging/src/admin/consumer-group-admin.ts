import type { Admin, Kafka } from 'kafkajs';
import type { PartitionPosition, ReplayStart } from './replay-plan';

export interface PartitionLag {
  topic: string;
  partition: number;
  /** Next offset the group reads; -1 when it has committed nothing yet. */
  committed: string;
  end: string;
  lag: number;
}

export interface PartitionBounds {
  partition: number;
  low: string;
  high: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Consumer-group inspection and offset resets (kafkajs admin API), for lag reports and replays. */
export class ConsumerGroupAdmin {
  constructor(private readonly kafka: Kafka) {}

  private async withAdmin<T>(fn: (admin: Admin) => Promise<T>): Promise<T> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      return await fn(admin);
    } finally {
      await admin.disconnect();
    }
  }

  lag(groupId: string, topics: string[]): Promise<PartitionLag[]> {
    return this.withAdmin(async (admin) => {
      const out: PartitionLag[] = [];
      const committed = await admin.fetchOffsets({ groupId, topics });
      for (const topic of topics) {
        const ends = await admin.fetchTopicOffsets(topic);
        const mine = committed.find((c) => c.topic === topic)?.partitions ?? [];
        for (const e of ends) {
          const c = mine.find((p) => p.partition === e.partition)?.offset ?? '-1';
          const from = BigInt(c) < 0n ? BigInt(e.low) : BigInt(c);
          out.push({ topic, partition: e.partition, committed: c, end: e.high, lag: Number(BigInt(e.high) - from) });
        }
      }
      return out.sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);
    });
  }

  /** The offsets a replay would set, without changing anything (the dry run). */
  plan(groupId: string, topic: string, start: ReplayStart): Promise<PartitionPosition[]> {
    return this.withAdmin(async (admin) => {
      const ends = await admin.fetchTopicOffsets(topic);
      const committed = (await admin.fetchOffsets({ groupId, topics: [topic] }))[0]?.partitions ?? [];
      // Kafka reads negative timestamps as -1 latest / -2 earliest: a time before 1970 is before every message, i.e. 0.
      const at = start.kind === 'timestamp' ? Math.max(0, Date.parse(start.at)) : 0;
      const byTime = start.kind === 'timestamp' ? await admin.fetchTopicOffsetsByTimestamp(topic, at) : [];
      return ends.map((e) => {
        const before = committed.find((p) => p.partition === e.partition)?.offset ?? '-1';
        let target: string;
        if (start.kind === 'earliest') target = e.low;
        else if (start.kind === 'timestamp') target = byTime.find((t) => t.partition === e.partition)?.offset ?? e.high;
        else target = start.offsets[String(e.partition)] ?? (BigInt(before) < 0n ? e.low : before);
        // Clamp into the partition's range: compaction or retention may have removed older offsets.
        if (BigInt(target) < BigInt(e.low)) target = e.low;
        if (BigInt(target) > BigInt(e.high)) target = e.high;
        return { partition: e.partition, target, end: e.high, committedBefore: before };
      });
    });
  }

  /** Waits until no member is in the group (offsets of a group can only be set while it is empty). */
  async waitUntilEmpty(groupId: string, timeoutMs = 60_000): Promise<void> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const state = await this.withAdmin(async (admin) => (await admin.describeGroups([groupId])).groups[0]?.state);
      if (!state || state === 'Empty' || state === 'Dead') return;
      if (Date.now() > end) throw new Error(`consumer group ${groupId} still has members (state ${state})`);
      await sleep(500);
    }
  }

  setOffsets(groupId: string, topic: string, positions: readonly Pick<PartitionPosition, 'partition' | 'target'>[]): Promise<void> {
    return this.withAdmin((admin) =>
      admin.setOffsets({ groupId, topic, partitions: positions.map((p) => ({ partition: p.partition, offset: p.target })) }),
    );
  }

  /** The group's committed offset per partition of `topic` ('-1' where it has committed nothing). */
  async committed(groupId: string, topic: string): Promise<Map<number, string>> {
    return this.withAdmin(async (admin) => {
      const parts = (await admin.fetchOffsets({ groupId, topics: [topic] }))[0]?.partitions ?? [];
      return new Map(parts.map((p) => [p.partition, p.offset]));
    });
  }

  /** Where every partition of `topic` begins (low) and ends (high) now. */
  async bounds(topic: string): Promise<PartitionBounds[]> {
    return this.withAdmin(async (admin) =>
      (await admin.fetchTopicOffsets(topic)).map((p) => ({ partition: p.partition, low: p.low, high: p.high })),
    );
  }
}
