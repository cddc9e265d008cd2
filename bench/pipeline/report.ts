/**
 * The benchmark's table: every figure beside its goal, ratios measured in the same run (absolute times
 * on a shared machine are only context). Pure: formatting and the goal checks, unit-tested.
 */

export interface Goal {
  /** The value must be at least / at most this. */
  atLeast?: number;
  atMost?: number;
  /** What the goal says, as the issue states it. */
  text: string;
}

export interface BenchRow {
  scenario: string;
  measure: string;
  /** The figure with its unit, e.g. "1,234 req/s" or "0.42×". */
  value: string;
  /** The number the goal is checked against (a ratio or an absolute figure). */
  checked?: number;
  goal?: Goal;
  note?: string;
}

export type Verdict = 'met' | 'MISSED' | '—';

export function verdict(row: Pick<BenchRow, 'checked' | 'goal'>): Verdict {
  const { goal, checked } = row;
  if (!goal || (goal.atLeast === undefined && goal.atMost === undefined)) return '—';
  if (checked === undefined || !Number.isFinite(checked)) return 'MISSED';
  if (goal.atLeast !== undefined && checked < goal.atLeast) return 'MISSED';
  if (goal.atMost !== undefined && checked > goal.atMost) return 'MISSED';
  return 'met';
}

export function fmt(x: number, digits = 0): string {
  if (!Number.isFinite(x)) return 'n/a';
  return x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** `a / b` as "0.42×"; n/a when b is 0. */
export function ratio(a: number, b: number): number {
  return b === 0 ? Number.NaN : a / b;
}

export function fmtRatio(r: number): string {
  return Number.isFinite(r) ? `${r >= 10 ? fmt(r, 1) : fmt(r, 2)}×` : 'n/a';
}

/** Percentile (nearest rank) of unsorted samples; NaN for none. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

const escape = (s: string) => s.replace(/\|/g, '\\|');

/** A Markdown table (what the terminal shows and the README quotes). */
export function markdownTable(rows: readonly BenchRow[]): string {
  const lines = ['| scenario | measure | value | goal | verdict | note |', '|---|---|---|---|---|---|'];
  for (const r of rows)
    lines.push(`| ${[r.scenario, r.measure, r.value, r.goal?.text ?? '', verdict(r), r.note ?? ''].map(escape).join(' | ')} |`);
  return lines.join('\n');
}

/** The figures of one run as JSON-ready data (bench/results/<date>.json). */
export function resultDocument(meta: Record<string, unknown>, rows: readonly BenchRow[]): Record<string, unknown> {
  return { ...meta, rows: rows.map((r) => ({ ...r, verdict: verdict(r) })) };
}
