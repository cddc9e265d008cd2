/** What one scenario's pipeline published, as read after it settled. */
export interface Snapshot {
  /** The lake topic in offset order per partition (value null: tombstone). */
  lake: { key: string; value: string | null }[];
  /** The KPI topic in offset order per partition; value normalized (without computedAt). */
  kpi: { key: string; id: string; value: string | null; computedAt: string | null }[];
  /** Publication's answers: `<indicator>:<region>:<period>` → the value as served, without `revised`. */
  api: Map<string, string>;
}

export interface Comparison {
  /** Records of the clean run's lake missing from this run's (or retracted here only). */
  recordsLost: number;
  /** Lake records present in both whose content differs. */
  recordsDiffering: number;
  /** KPI values (latest per key) and publication answers that differ from the clean run's, or are missing or extra. */
  valuesDiffering: number;
  /** The same key and computedAt published with different content (two publishers at once). */
  conflicting: number;
  /** Examples of differences, for the report. */
  examples: string[];
}

/** A KPI message's content without the moment it was computed (a re-run computes the same value later). */
export function normalizedValue(json: string): string {
  try {
    const { computedAt: _computedAt, ...rest } = JSON.parse(json) as Record<string, unknown>;
    return stableStringify(rest);
  } catch {
    return `unparsable:${json.slice(0, 40)}`;
  }
}

function stableStringify(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableStringify).join(',')}]`;
  if (v && typeof v === 'object')
    return `{${Object.keys(v as object)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableStringify((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(v);
}

/** Keys the suite itself planted (poison messages): not part of any comparison. */
export const PLANTED = /^poison:/;

function latest<T extends { key: string }>(items: readonly T[], valueOf: (t: T) => string | null): Map<string, string | null> {
  const out = new Map<string, string | null>();
  for (const item of items) if (!PLANTED.test(item.key)) out.set(item.key, valueOf(item));
  return out;
}

function differences(clean: Map<string, string | null>, run: Map<string, string | null>, what: string, examples: string[]): number {
  let n = 0;
  for (const key of new Set([...clean.keys(), ...run.keys()])) {
    if (clean.get(key) === run.get(key)) continue;
    n++;
    if (examples.length < 8) examples.push(`${what} ${key}: clean ${String(clean.get(key)).slice(0, 160)} | this run ${String(run.get(key)).slice(0, 160)}`);
  }
  return n;
}

/** Compares a scenario's snapshot with the clean run's: every record and every published value. */
export function compare(clean: Snapshot, run: Snapshot): Comparison {
  const examples: string[] = [];
  const cleanLake = latest(clean.lake, (e) => e.value);
  const runLake = latest(run.lake, (e) => e.value);
  let recordsLost = 0;
  let recordsDiffering = 0;
  for (const [key, value] of cleanLake) {
    if (value === null) continue;
    const mine = runLake.get(key);
    if (mine === undefined || mine === null) {
      recordsLost++;
      if (examples.length < 8) examples.push(`lake record ${key} missing`);
    } else if (mine !== value) {
      recordsDiffering++;
      if (examples.length < 8) examples.push(`lake record ${key} differs`);
    }
  }
  const valuesDiffering =
    differences(latest(clean.kpi, (e) => e.value), latest(run.kpi, (e) => e.value), 'KPI value', examples) +
    differences(clean.api, run.api, 'API value', examples);
  const byComputation = new Map<string, Set<string | null>>();
  for (const e of run.kpi) {
    if (PLANTED.test(e.key)) continue;
    const id = `${e.key}@${e.computedAt}`;
    byComputation.set(id, (byComputation.get(id) ?? new Set()).add(e.value));
  }
  const conflicting = [...byComputation.values()].filter((s) => s.size > 1).length;
  return { recordsLost, recordsDiffering, valuesDiffering, conflicting, examples };
}

export interface Row {
  scenario: string;
  loaded: number;
  lost: number | string;
  differing: number | string;
  recovery: string;
  result: 'pass' | 'FAIL';
  note: string;
}

/** The table the suite prints: one row per scenario. */
export function table(rows: readonly Row[]): string {
  const header = ['scenario', 'records loaded', 'records lost', 'values differing', 'recovery', 'result', 'notes'];
  const cells = rows.map((r) => [r.scenario, String(r.loaded), String(r.lost), String(r.differing), r.recovery, r.result, r.note]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]) => `| ${c.map((x, i) => x.padEnd(widths[i])).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.map(line)].join('\n');
}
