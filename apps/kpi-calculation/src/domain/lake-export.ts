import type { ExportColumn, ExportTable, LakeFieldValue, LakeRecord } from '@sozialmonitor/contracts';
import { enforceKAnonymity } from '@sozialmonitor/privacy';

/**
 * The anonymized lake prepared for analysts (issue 17 part 4): one table per source, with
 * - no identifier at all: `recordId`, `personId`, `childId`, `householdId` and `pseudonymKeyId` are left
 *   out (pseudonyms link a person across sources and exports; an export must not be a linking key);
 * - the quasi-identifiers birth month, sex, nationality group and municipality made k-anonymous per
 *   source (libs/privacy `enforceKAnonymity`, counting persons — or households — not records), with the
 *   level each row was generalized to in `generalization_level`;
 * - the spell dates `validFrom` / `validTo` cut to the month (a day of moving in is as telling as a
 *   birth date in a small municipality);
 * - every other field as the lake holds it.
 */
export const DROPPED_FIELDS = ['source', 'recordId', 'deleted', 'pseudonymKeyId', 'personId', 'childId', 'householdId'];
const UNIT_FIELDS = ['personId', 'childId', 'householdId'];
const QUASI = ['birthMonth', 'sex', 'nationalityGroup', 'ags'];
const MONTH_FIELDS = new Set(['validFrom', 'validTo']);

const DESCRIPTIONS: Record<string, string> = {
  birthMonth: 'birth month YYYY-MM, or coarser: year YYYY or five-year band YYYY–YYYY (see generalization_level)',
  sex: 'm / f / d / x, or * where suppressed for k-anonymity',
  nationalityGroup: 'german / foreign, or * where suppressed for k-anonymity',
  ags: 'municipality AGS (8 digits), or the county 01056 where generalized for k-anonymity',
  validFrom: 'start of the spell, month YYYY-MM',
  validTo: 'end of the spell, month YYYY-MM (empty: ongoing)',
  generalization_level:
    '0 as in the lake; 1 birth year; 2 five-year band; 3 and county instead of municipality; 4 and sex suppressed; 5 and nationality group suppressed',
};

export interface SourceReport {
  readonly source: string;
  readonly records: number;
  readonly released: number;
  readonly generalized: number;
  readonly withheld: number;
  /** Released records per generalization level (index = level). */
  readonly byLevel: readonly number[];
  /** Smallest class of quasi-identifiers among the released records, in persons (null: nothing released). */
  readonly smallestClass: number | null;
}

export interface LakeExport {
  readonly k: number;
  readonly tables: ReadonlyMap<string, ExportTable>;
  readonly reports: readonly SourceReport[];
}

function typeOf(values: readonly LakeFieldValue[]): ExportColumn['type'] {
  const present = values.filter((v) => v !== null && v !== undefined);
  if (present.length > 0 && present.every((v) => typeof v === 'number')) return 'number';
  if (present.length > 0 && present.every((v) => typeof v === 'boolean')) return 'boolean';
  return 'string';
}

const text = (v: LakeFieldValue | undefined): string | null => (v === null || v === undefined ? null : String(v));
const monthOf = (v: LakeFieldValue | undefined): LakeFieldValue =>
  typeof v === 'string' && /^\d{4}-\d{2}-\d{2}/.test(v) ? v.slice(0, 7) : (v ?? null);

function sourceTable(source: string, records: readonly LakeRecord[], k: number): { table: ExportTable; report: SourceReport } {
  const fields = [...new Set(records.flatMap((r) => Object.keys(r)))].filter((f) => !DROPPED_FIELDS.includes(f)).sort();
  const quasi = QUASI.filter((f) => fields.includes(f));
  const others = fields.filter((f) => !QUASI.includes(f));
  const result = enforceKAnonymity(
    records.map((r) => ({
      birthMonth: text(r.birthMonth),
      sex: text(r.sex),
      nationality: text(r.nationalityGroup),
      municipality: text(r.ags),
      unit: UNIT_FIELDS.map((f) => r[f]).find((v) => typeof v === 'string') as string | undefined,
    })),
    k,
  );
  const rows: LakeFieldValue[][] = [];
  records.forEach((r, i) => {
    const g = result.released[i];
    if (!g) return;
    const shown: Record<string, LakeFieldValue> = {
      birthMonth: g.birthMonth,
      sex: g.sex,
      nationalityGroup: g.nationality,
      ags: g.municipality,
    };
    rows.push([
      ...quasi.map((f) => shown[f]),
      ...others.map((f) => (MONTH_FIELDS.has(f) ? monthOf(r[f]) : (r[f] ?? null))),
      result.levels[i],
    ]);
  });
  const columns: ExportColumn[] = [
    ...quasi.map((name) => ({ name, type: 'string' as const, description: DESCRIPTIONS[name] })),
    ...others.map((name, j) => ({
      name,
      type: MONTH_FIELDS.has(name) ? ('string' as const) : typeOf(rows.map((row) => row[quasi.length + j])),
      description: DESCRIPTIONS[name] ?? `field ${name} of the source ${source} (spec/sources.md)`,
    })),
    { name: 'generalization_level', type: 'number', description: DESCRIPTIONS.generalization_level },
  ];
  return {
    table: { columns, rows },
    report: {
      source,
      records: result.records,
      released: result.records - result.withheld,
      generalized: result.generalized,
      withheld: result.withheld,
      byLevel: result.byLevel,
      smallestClass: Number.isFinite(result.smallestClass) ? result.smallestClass : null,
    },
  };
}

/** The export of the current lake records (deletions already applied), one table per source. */
export function exportLake(records: readonly LakeRecord[], k: number): LakeExport {
  const bySource = new Map<string, LakeRecord[]>();
  for (const r of records) {
    let list = bySource.get(r.source);
    if (!list) bySource.set(r.source, (list = []));
    list.push(r);
  }
  const tables = new Map<string, ExportTable>();
  const reports: SourceReport[] = [];
  for (const source of [...bySource.keys()].sort()) {
    const { table, report } = sourceTable(source, bySource.get(source)!, k);
    tables.set(source, table);
    reports.push(report);
  }
  return { k, tables, reports };
}
