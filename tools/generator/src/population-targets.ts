import { MUNICIPALITIES, type Municipality } from '@sozialmonitor/regions';
import { type Day, dayOf } from './dates';

/**
 * The county population path the generator steers towards (scale 1). Published year-end figures
 * (shared/data/README.md: 2015, 2016, 2019, 2023) with interpolated estimates between them and a
 * Zensus-like smooth path across 2022 (the published series breaks there; synthetic data need not).
 * Estimates are marked; none of this is an official figure.
 */
const YEAR_END_ANCHORS: readonly (readonly [number, number])[] = [
  [2014, 304_400], // estimate: the 2015 refugee year added about 3,000 people
  [2015, 307_471],
  [2016, 310_653],
  [2017, 312_600], // estimate
  [2018, 314_400], // estimate
  [2019, 316_103],
  [2020, 316_900], // estimate (pandemic: little migration)
  [2021, 317_800], // estimate
  [2022, 321_600], // estimate (refugees from Ukraine)
  [2023, 323_762],
];
const GROWTH_BEFORE = 0.005; // per year, before the first anchor
const GROWTH_AFTER = 0.0035; // per year, after the last anchor

const anchors = YEAR_END_ANCHORS.map(([y, value]) => [dayOf(y, 12, 31), value] as const);
const YEAR_DAYS = 365.2425;

/** Target county population (scale 1) valid on `day`. */
export function countyPopulationTarget(day: Day): number {
  const [firstDay, firstValue] = anchors[0];
  const [lastDay, lastValue] = anchors[anchors.length - 1];
  if (day <= firstDay) return firstValue * Math.pow(1 + GROWTH_BEFORE, (day - firstDay) / YEAR_DAYS);
  if (day >= lastDay) return lastValue * Math.pow(1 + GROWTH_AFTER, (day - lastDay) / YEAR_DAYS);
  for (let i = 1; i < anchors.length; i++) {
    const [d1, v1] = anchors[i];
    if (day <= d1) {
      const [d0, v0] = anchors[i - 1];
      return v0 + ((v1 - v0) * (day - d0)) / (d1 - d0);
    }
  }
  return lastValue;
}

const estimateTotal = MUNICIPALITIES.reduce((s, m) => s + m.inhabitantsEstimate, 0);

/** A municipality's share of the county (from the inhabitant estimates of libs/regions). */
export function municipalityShare(m: Municipality): number {
  return m.inhabitantsEstimate / estimateTotal;
}

/** Target inhabitants of a municipality on `day` at `scale`. */
export function municipalityTarget(m: Municipality, day: Day, scale: number): number {
  return countyPopulationTarget(day) * municipalityShare(m) * scale;
}
