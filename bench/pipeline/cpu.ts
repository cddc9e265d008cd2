/**
 * CPU time per process (/proc/<pid>/stat utime + stime, children's threads included), the figure that
 * survives a noisy machine: wall time stretches with other work on the cores, the CPU seconds a service
 * spends per record do not (much). The bulk load reports them per process, so the bottleneck is the process
 * with the largest share, whatever else ran beside the benchmark.
 */
import { readFileSync } from 'node:fs';

/** Linux reports stat times in clock ticks; USER_HZ is 100 on every architecture Node supports here. */
const TICKS_PER_SECOND = 100;

/** CPU seconds used so far by the process `pid` (user + system), or NaN when it is gone. */
export function cpuSecondsOf(pid: number | undefined): number {
  if (!pid) return Number.NaN;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // the command name (field 2) may hold spaces and parentheses: count fields after its last ')'
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    return (utime + stime) / TICKS_PER_SECOND;
  } catch {
    return Number.NaN;
  }
}

export type CpuSample = Record<string, number>;

/** One reading of every named process. */
export function sampleCpu(pids: Record<string, number | undefined>): CpuSample {
  return Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, cpuSecondsOf(pid)]));
}

/** CPU seconds each process used between two readings, largest first. */
export function cpuBetween(before: CpuSample, after: CpuSample): { name: string; seconds: number }[] {
  return Object.keys(after)
    .map((name) => ({ name, seconds: after[name] - before[name] }))
    .filter((p) => Number.isFinite(p.seconds))
    .sort((a, b) => b.seconds - a.seconds);
}
