import type { IndicatorDefinition } from '@sozialmonitor/indicators/catalogue';
import type { Region } from '@sozialmonitor/regions';
import { type Cell, toCsv } from '../domain/csv';
import type { ValueView } from '../domain/value-record';

/** The catalogue entry as the API shows it (api.md: id, names, description, unit, category, formula, sources, version). */
export function indicatorView(def: IndicatorDefinition) {
  return {
    id: def.id,
    version: def.version,
    status: def.status,
    category: def.category,
    names: def.names,
    description: def.description,
    unit: def.unit,
    decimals: def.decimals,
    formula: def.formula,
    sources: [...def.sources],
    share: def.share,
    kind: def.kind,
    ...(def.index ? { index: def.index } : {}),
    breaks: def.breaks,
  };
}

/** The breaks of a series that concern the answered periods: those within (first year, last year]. */
export function breaksWithin(def: IndicatorDefinition, periods: readonly string[]) {
  const years = periods.map((p) => Number(p.slice(0, 4))).filter((y) => Number.isInteger(y));
  if (years.length === 0) return [];
  const [first, last] = [Math.min(...years), Math.max(...years)];
  return def.breaks.filter((b) => b.year > first && b.year <= last);
}

export function indicatorsCsv(defs: readonly IndicatorDefinition[]): string {
  return toCsv(
    ['id', 'version', 'status', 'category', 'name_de', 'name_en', 'unit', 'decimals', 'formula', 'sources', 'share'],
    defs.map((d) => [
      d.id,
      d.version,
      d.status,
      d.category,
      d.names.de,
      d.names.en,
      d.unit,
      d.decimals,
      d.formula,
      d.sources.join(' '),
      d.share,
    ]),
  );
}

export function regionsCsv(regions: readonly Region[]): string {
  return toCsv(
    ['code', 'name', 'level', 'parent'],
    regions.map((r) => [r.code, r.name, r.level, r.parent]),
  );
}

const VALUE_COLUMNS = [
  'indicator',
  'unit',
  'region_code',
  'region_name',
  'region_level',
  'period',
  'value',
  'suppressed',
  'reason',
  'county',
  'state',
  'germany',
  'revised',
];

/** The cells of one value in the order of the CSV columns (the values export reuses it). */
export const valueCells = (indicatorId: string, unit: string, v: ValueView): Cell[] => [
  indicatorId,
  unit,
  v.region.code,
  v.region.name,
  v.region.level,
  v.period,
  v.value,
  v.suppressed,
  v.reason ?? null,
  v.comparison.county ?? null,
  v.comparison.state,
  v.comparison.germany,
  v.revised,
];

/** One row per value; the comparison values in their own columns (empty where there is none). */
export function valuesCsv(rows: readonly { indicatorId: string; unit: string; view: ValueView }[]): string {
  return toCsv(
    VALUE_COLUMNS,
    rows.map(({ indicatorId, unit, view }) => valueCells(indicatorId, unit, view)),
  );
}
