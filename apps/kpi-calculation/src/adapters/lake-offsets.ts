import { Inject, Injectable } from '@nestjs/common';
import { KAFKA } from '@sozialmonitor/messaging';
import type { Kafka } from 'kafkajs';
import { KpiCalculationEnvironment } from '../kpi-calculation.environment';

/** Committed offsets of the lake topic per partition; absent = the group has none (start from the beginning). */
export type PartitionOffsets = Map<number, string>;

/** The service group's offsets on the lake topic (Kafka admin): where it stands, where the topic ends. */
@Injectable()
export class LakeOffsets {
  constructor(
    @Inject(KAFKA) private readonly kafka: Kafka,
    private readonly env: KpiCalculationEnvironment,
  ) {}

  /** Where the service's group stands on the lake topic. */
  async committedOffsets(): Promise<PartitionOffsets> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const [topic] = await admin.fetchOffsets({
        groupId: this.env.KPI_CALCULATION_GROUP_ID,
        topics: [this.env.LAKE_TOPIC],
      });
      const out: PartitionOffsets = new Map();
      for (const p of topic?.partitions ?? []) if (p.offset !== '-1') out.set(p.partition, p.offset);
      return out;
    } finally {
      await admin.disconnect();
    }
  }

  /** The end of every partition of the lake topic now. */
  async endOffsets(): Promise<PartitionOffsets> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      return new Map((await admin.fetchTopicOffsets(this.env.LAKE_TOPIC)).map((p) => [p.partition, p.high]));
    } finally {
      await admin.disconnect();
    }
  }

  /** Resolves when the service's group has committed up to `targets`, or after `timeoutMs`, or when `cancelled()`. */
  async waitUntilCommitted(targets: PartitionOffsets, timeoutMs: number, cancelled: () => boolean): Promise<boolean> {
    const end = Date.now() + timeoutMs;
    while (Date.now() < end && !cancelled()) {
      const committed = await this.committedOffsets().catch(() => null);
      if (
        committed &&
        [...targets].every(([p, high]) => BigInt(high) === 0n || BigInt(committed.get(p) ?? '-1') >= BigInt(high))
      )
        return true;
      await new Promise((r) => setTimeout(r, 500));
    }
    return false;
  }
}
