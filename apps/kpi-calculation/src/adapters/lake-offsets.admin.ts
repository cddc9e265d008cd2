import { Injectable } from '@nestjs/common';
import { ConsumerGroupAdmin, type PartitionBounds } from '@sozialmonitor/messaging';
import { KpiCalculationEnvironment } from '../kpi-calculation.environment';

/** Committed offsets of the lake topic per partition; absent = the group has none (start from the beginning). */
export type PartitionOffsets = Map<number, string>;

/** The service group's offsets on the lake topic: where it stands, where the topic ends. */
@Injectable()
export class LakeOffsets {
  constructor(
    private readonly groups: ConsumerGroupAdmin,
    private readonly env: KpiCalculationEnvironment,
  ) {}

  /** Where the service's group stands on the lake topic. */
  async committedOffsets(): Promise<PartitionOffsets> {
    const committed = await this.groups.committed(this.env.KPI_CALCULATION_GROUP_ID, this.env.LAKE_TOPIC);
    return new Map([...committed].filter(([, offset]) => offset !== '-1'));
  }

  /** The end of every partition of the lake topic now. */
  async endOffsets(): Promise<PartitionOffsets> {
    return new Map((await this.groups.bounds(this.env.LAKE_TOPIC)).map((p) => [p.partition, p.high]));
  }

  /** Where every partition of the lake topic begins and ends now. */
  bounds(): Promise<PartitionBounds[]> {
    return this.groups.bounds(this.env.LAKE_TOPIC);
  }

  /** Moves a (member-less) group of this service to `positions` on the lake topic. */
  async moveGroup(groupId: string, positions: PartitionOffsets): Promise<void> {
    const targets = [...positions].map(([partition, target]) => ({ partition, target }));
    await this.groups.setOffsets(groupId, this.env.LAKE_TOPIC, targets);
  }

  /** Resolves when the service's group has committed up to `targets`, or after `timeoutMs`, or when `cancelled()`. */
  async waitUntilCommitted(targets: PartitionOffsets, timeoutMs: number, cancelled: () => boolean): Promise<boolean> {
    const end = Date.now() + timeoutMs;
    while (Date.now() < end && !cancelled()) {
      const committed = await this.committedOffsets().catch(() => null); // Kafka busy: look again in 500 ms, up to the limit
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
