/** Where a replay starts: the beginning, a point in time, or explicit offsets per partition. */
export type ReplayStart = { kind: 'earliest' } | { kind: 'timestamp'; at: string } | { kind: 'offsets'; offsets: Record<string, string> };

export interface PartitionPosition {
  partition: number;
  /** Where the group will read next after the reset. */
  target: string;
  /** The partition's end when the replay was planned: caught up when committed >= end. */
  end: string;
  /** The group's committed offset before the reset (-1: none). */
  committedBefore: string;
}

/** Parses the `from` of a replay request: `earliest`, an ISO timestamp, or `{"<partition>": "<offset>"}`. */
export function parseReplayStart(from: unknown): ReplayStart {
  if (from === 'earliest') return { kind: 'earliest' };
  if (typeof from === 'string') {
    const t = Date.parse(from);
    if (!Number.isNaN(t) && /^\d{4}-\d{2}-\d{2}T/.test(from)) return { kind: 'timestamp', at: new Date(t).toISOString() };
    throw new Error('from must be "earliest", an ISO 8601 timestamp, or an object of partition → offset');
  }
  if (from && typeof from === 'object' && !Array.isArray(from)) {
    const offsets: Record<string, string> = {};
    for (const [p, o] of Object.entries(from)) {
      if (!/^\d+$/.test(p) || !/^\d+$/.test(String(o))) throw new Error('offsets must map partition numbers to non-negative offsets');
      offsets[p] = String(o);
    }
    if (Object.keys(offsets).length === 0) throw new Error('offsets must name at least one partition');
    return { kind: 'offsets', offsets };
  }
  throw new Error('from must be "earliest", an ISO 8601 timestamp, or an object of partition → offset');
}

/** Progress of a replay from the committed offsets now: 0 … 1 over all partitions. */
export function replayProgress(positions: PartitionPosition[], committedNow: Map<number, string>): { done: number; total: number; caughtUp: boolean } {
  let done = 0;
  let total = 0;
  for (const p of positions) {
    const span = Math.max(0, Number(BigInt(p.end) - BigInt(p.target)));
    const committed = BigInt(committedNow.get(p.partition) ?? '-1');
    const progressed = committed < 0n ? 0 : Math.min(span, Math.max(0, Number(committed - BigInt(p.target))));
    done += progressed;
    total += span;
  }
  return { done, total, caughtUp: done >= total };
}
