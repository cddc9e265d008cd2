import type { IndicatorDefinition } from '../catalogue/indicator-definition';
import type { CompiledMeasureCall } from '../expression/compile';
import { evaluateFormula, type MeasureValue } from '../expression/evaluate';
import type { CountingEngine } from '../engine/counting-engine';
import { type Day, formatDay } from '../time/day';
import type { ResolvedPeriod } from '../time/period';
import { type Rational, toNumber } from './rational';
import { roundRational } from './rounding';

/**
 * An exactly computed indicator value with the counts it was computed from (internal: these counts
 * never leave the service; disclosure control decides what is published).
 */
export interface ExactIndicatorValue {
  readonly indicatorId: string;
  readonly indicatorVersion: number;
  readonly regionCode: string;
  readonly period: string;
  readonly stichtag: string;
  /** Canonical texts of the distinct measure calls, in formula order (`measures[0]` is the first measure). */
  readonly measures: readonly string[];
  /** Their counts (a sum for WP); for meanAge the count of persons. */
  readonly counts: readonly number[];
  /**
   * For every measure that sums a field (WP), in formula order, the number of units it sums over (W,
   * the households): they count for primary suppression too (privacy.md §3). Empty when none sums.
   */
  readonly units: readonly number[];
  /** The exact value, null when a denominator is zero or a source has no records at all. */
  readonly exact: Rational | null;
  readonly exactValue: number | null;
  /** Rounded half away from zero to the indicator's decimals. */
  readonly value: number | null;
  readonly reason?: 'denominator_zero' | 'no_data';
}

/**
 * The value when a source of the indicator has no record in the lake at all: not zero but unknown
 * (`no_data`). Counts are reported as zeros — what the other sources count means nothing without it,
 * and nothing then calls for suppression.
 */
export function withoutData(v: ExactIndicatorValue): ExactIndicatorValue {
  return {
    ...v,
    counts: v.counts.map(() => 0),
    units: v.units.map(() => 0),
    exact: null,
    exactValue: null,
    value: null,
    reason: 'no_data',
  };
}

/** Counts every measure call of `calls` in a region at a Stichtag. */
export function measuresAt(
  engine: CountingEngine,
  regionCode: string,
  stichtag: Day,
  calls: readonly CompiledMeasureCall[],
): MeasureValue[] {
  return calls.map((c) => engine.measure(c, regionCode, stichtag));
}

/** Evaluates one indicator at one Stichtag for one region. */
export function valueAt(
  engine: CountingEngine,
  def: IndicatorDefinition,
  regionCode: string,
  period: Pick<ResolvedPeriod, 'period' | 'stichtag'>,
): ExactIndicatorValue {
  const values = measuresAt(engine, regionCode, period.stichtag, def.compiled.calls);
  const exact = evaluateFormula(def.compiled, values);
  return {
    indicatorId: def.id,
    indicatorVersion: def.version,
    regionCode,
    period: period.period,
    stichtag: formatDay(period.stichtag),
    measures: def.compiled.calls.map((c) => c.key),
    counts: values.map((v) => v.value),
    units: def.compiled.calls.flatMap((c, i) =>
      c.measure.aggregate.kind === 'sum' ? [values[i].units ?? values[i].value] : [],
    ),
    exact,
    exactValue: exact === null ? null : toNumber(exact),
    value: exact === null ? null : roundRational(exact, def.decimals),
    ...(exact === null ? { reason: 'denominator_zero' as const } : {}),
  };
}

/** Evaluates one indicator for many regions at one period. */
export function valuesFor(
  engine: CountingEngine,
  def: IndicatorDefinition,
  regions: readonly string[],
  period: Pick<ResolvedPeriod, 'period' | 'stichtag'>,
): ExactIndicatorValue[] {
  return regions.map((code) => valueAt(engine, def, code, period));
}
