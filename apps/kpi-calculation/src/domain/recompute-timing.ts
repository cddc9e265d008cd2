/**
 * When a recomputation round starts. A round recomputes and republishes every value the pending
 * changes reach, so during a bulk load it should run once the load is in, not after every batch:
 * while the lake consumer is behind the end of the lake topic, rounds wait — but never longer than
 * a bound since the first pending change, so that values still appear during an endless stream.
 * Once the consumer has caught up, a round starts after a short quiet time (a burst is computed once).
 */

export interface RecomputeTimingSettings {
  /** Quiet time after the last change before a round, once the lake consumer has caught up (RECOMPUTE_DELAY_MS). */
  quietMs: number;
  /** Longest wait since the first pending change, lagging or not (RECOMPUTE_MAX_DEFER_MS). */
  maxDeferMs: number;
}

export interface PendingChanges {
  /** Messages the lake consumer is behind the end of the lake topic; 0 = caught up. */
  lakeLag: number;
  /** Milliseconds since the first change not yet in a round. */
  sinceFirstChangeMs: number;
  /** Milliseconds since the latest change. */
  sinceLastChangeMs: number;
}

/** Why a round starts: the lake consumer has caught up and the changes are quiet, or the bound was reached. */
export type RoundTrigger = 'quiet' | 'max-defer';

export type RecomputeDecision = { run: true; trigger: RoundTrigger } | { run: false; waitMs: number };

/**
 * Run a round now, or wait. `waitMs` is when the answer can change by time alone; a change of the
 * lag or a new change asks again earlier.
 */
export function recomputeDecision(pending: PendingChanges, settings: RecomputeTimingSettings): RecomputeDecision {
  const caughtUp = pending.lakeLag <= 0;
  const untilQuiet = settings.quietMs - pending.sinceLastChangeMs;
  if (caughtUp && untilQuiet <= 0) return { run: true, trigger: 'quiet' };
  const untilBound = settings.maxDeferMs - pending.sinceFirstChangeMs;
  if (untilBound <= 0) return { run: true, trigger: 'max-defer' };
  return { run: false, waitMs: Math.ceil(caughtUp ? Math.min(untilQuiet, untilBound) : untilBound) };
}

/**
 * How far a consumer is behind the end of its topic, from the batches it fetches: each fetched batch
 * tells where its partition ended then (high watermark) and where the batch starts; a processed batch
 * moves the position past its last offset. A start can seed a partition the same way (committed
 * offset, end). Partitions unknown count as caught up (a consumer gets no batch for a partition
 * without new messages).
 */
export class TopicLag {
  private readonly partitions = new Map<number, { end: number; next: number }>();

  /** A batch of `partition` from `firstOffset` was fetched; the partition ended at `highWatermark`. */
  fetched(partition: number, highWatermark: number, firstOffset: number): void {
    this.partitions.set(partition, { end: highWatermark, next: firstOffset });
  }

  /** The batch of `partition` up to `lastOffset` is processed (stored, dead-lettered or skipped). */
  processed(partition: number, lastOffset: number): void {
    const p = this.partitions.get(partition);
    if (p) p.next = Math.max(p.next, lastOffset + 1);
  }

  /** Forget the partitions no longer assigned to the consumer. */
  retain(partitions: readonly number[]): void {
    for (const p of [...this.partitions.keys()]) if (!partitions.includes(p)) this.partitions.delete(p);
  }

  /** Forget everything (consumer stopped). */
  reset(): void {
    this.partitions.clear();
  }

  /** Messages behind the ends seen, over every partition. */
  get behind(): number {
    let sum = 0;
    for (const p of this.partitions.values()) sum += Math.max(0, p.end - p.next);
    return sum;
  }
}
