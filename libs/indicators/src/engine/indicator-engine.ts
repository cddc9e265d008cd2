import { isLakeDeletion, lakeKey, type LakeMessage } from '@sozialmonitor/contracts';
import type { IndicatorDefinition } from '../catalogue/indicator-definition';
import type { CompiledMeasureCall } from '../expression/compile';
import type { MeasureValue } from '../expression/evaluate';
import { parseReferenceValue, REFERENCE_SOURCE, ReferenceValueTable } from '../reference/reference-value-table';
import type { Day } from '../time/day';
import type { ResolvedPeriod } from '../time/period';
import { type ExactIndicatorValue, measuresAt, valuesFor, withoutData } from '../values/indicator-values';
import { ChangeSet } from './change-set';
import { CountingEngine } from './counting-engine';
import { isCountedSource, normalizeLakeRecord } from './normalize';
import type { Rejection, Spell } from './spell';

export interface ApplyResult {
  /** Regions, days and families whose counts changed. */
  readonly changes: ChangeSet;
  /** Records that could not be counted (they count as absent). */
  readonly rejected: readonly Rejection[];
  /** Comparison values that may have changed. */
  readonly references: ReadonlyArray<{ indicatorId: string; year: number }>;
  /**
   * Counted sources that got their first record or lost their last one: every value of an indicator
   * that reads them changes between `no_data` and a figure, in every period.
   */
  readonly sources: readonly string[];
}

/**
 * The lake in memory, record by record: keeps which subjects every record belongs to, turns record
 * upserts and deletions into subject updates of the CountingEngine, and holds the comparison values.
 * Apply the latest version of every lake record in any order: the result is the same.
 */
export class IndicatorEngine {
  readonly counting = new CountingEngine();
  readonly references = new ReferenceValueTable();
  /** The counted version of every record (its subjects are `spell.subjects`). */
  private readonly records = new Map<string, Spell>();
  /** Counted records held per source. */
  private readonly recordsPerSource = new Map<string, number>();

  /** Number of counted records currently held (reference values excluded). */
  get recordCount(): number {
    return this.records.size;
  }

  /** Whether the lake holds any counted record of the source (without one, its counts are not zeros but unknown). */
  hasRecordsOf(source: string): boolean {
    return (this.recordsPerSource.get(source) ?? 0) > 0;
  }

  /**
   * Applies lake messages (records and deletion markers). Within one call the last message of a key
   * wins, as on the compacted topic.
   */
  apply(messages: readonly LakeMessage[]): ApplyResult {
    const latest = new Map<string, LakeMessage>();
    for (const m of messages) latest.set(lakeKey(m.source, m.recordId), m);
    const rejected: Rejection[] = [];
    const references: Array<{ indicatorId: string; year: number }> = [];
    // subject key -> [recordKey, spell (or null: the record leaves the subject), …]
    const edits = new Map<string, Array<string | Spell | null>>();
    const heldBefore = new Map<string, boolean>();
    const count = (source: string, delta: number): void => {
      if (!heldBefore.has(source)) heldBefore.set(source, this.hasRecordsOf(source));
      this.recordsPerSource.set(source, (this.recordsPerSource.get(source) ?? 0) + delta);
    };
    const edit = (subject: string, key: string, spell: Spell | null): void => {
      const e = edits.get(subject);
      if (e === undefined) edits.set(subject, [key, spell]);
      else e.push(key, spell);
    };

    for (const [key, m] of latest) {
      if (m.source === REFERENCE_SOURCE) {
        if (isLakeDeletion(m)) references.push(...this.references.set(key, null));
        else {
          const parsed = parseReferenceValue(m);
          if (!parsed.ok) rejected.push(parsed.rejection);
          references.push(...this.references.set(key, parsed.ok ? parsed.value : null));
        }
        continue;
      }
      if (!isCountedSource(m.source)) {
        if (!isLakeDeletion(m))
          rejected.push({ source: m.source, recordId: m.recordId, field: 'source', rule: 'not a counted source' });
        continue;
      }
      let spell: Spell | null = null;
      if (!isLakeDeletion(m)) {
        const n = normalizeLakeRecord(m, key);
        if (n.ok) spell = n.spell;
        else rejected.push(n.rejection); // an uncountable new version replaces (removes) the old one
      }
      const before = this.records.get(key)?.subjects;
      const after = spell?.subjects;
      if (before) for (const subject of before) if (!after || !after.includes(subject)) edit(subject, key, null);
      if (after) {
        for (const subject of after) edit(subject, key, spell);
        if (!before) count(m.source, 1);
        this.records.set(key, spell!);
      } else if (before) {
        count(m.source, -1);
        this.records.delete(key);
      }
    }

    const changes = new ChangeSet();
    for (const [subject, e] of edits) {
      const current = this.counting.subjectSpells(subject);
      let next: Spell[];
      if (current.length === 0) {
        next = [];
        for (let i = 1; i < e.length; i += 2) if (e[i]) next.push(e[i] as Spell);
        // the common first arrival: an exact-size array (push reserves room for 17)
        if (next.length === 1) next = [next[0]];
      } else {
        const replaced = new Set<string>();
        for (let i = 0; i < e.length; i += 2) replaced.add(e[i] as string);
        next = current.filter((s) => !replaced.has(s.recordKey));
        for (let i = 1; i < e.length; i += 2) if (e[i]) next.push(e[i] as Spell);
      }
      this.counting.applySpells(subject, next, changes);
    }
    const sources = [...heldBefore].filter(([source, held]) => held !== this.hasRecordsOf(source)).map(([s]) => s);
    return { changes, rejected, references, sources };
  }

  /** Merges pending counting changes (after a bulk load: less memory, fast first queries). */
  compact(): void {
    this.counting.compact();
  }

  measuresAt(regionCode: string, stichtag: Day, calls: readonly CompiledMeasureCall[]): MeasureValue[] {
    return measuresAt(this.counting, regionCode, stichtag, calls);
  }

  valuesFor(
    def: IndicatorDefinition,
    regions: readonly string[],
    period: Pick<ResolvedPeriod, 'period' | 'stichtag'>,
  ): ExactIndicatorValue[] {
    const values = valuesFor(this.counting, def, regions, period);
    return def.sources.every((s) => this.hasRecordsOf(s)) ? values : values.map(withoutData);
  }
}
