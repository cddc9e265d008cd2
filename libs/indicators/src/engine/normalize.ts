import type { LakeRecord } from '@sozialmonitor/contracts';
import { MUNICIPALITIES } from '@sozialmonitor/regions';
import type { CellValue } from '../expression/compile';
import {
  type Dimension,
  FAMILIES,
  type Family,
  measureRegistryGeneration,
  subjectKinds,
  type SubjectKind,
} from '../measures/measure-registry';
import { tryParseBirthMonth } from '../time/age';
import { dayFromCivil, OPEN_END, tryParseDay } from '../time/day';
import type { Rejection, Spell } from './spell';

interface SourceSchema {
  readonly name: string;
  readonly dimensions: readonly Dimension[];
  readonly families: readonly Family[];
  readonly kinds: readonly SubjectKind[];
  /** The fields holding the start and end reasons (of its starts / ends families), or null. */
  readonly startReasonField: string | null;
  readonly endReasonField: string | null;
}

/** What each counted source must carry, derived from the families it feeds. */
function deriveSchemas(): ReadonlyMap<string, SourceSchema> {
  const out = new Map<
    string,
    {
      name: string;
      dimensions: Dimension[];
      families: Family[];
      kinds: SubjectKind[];
      startReasonField: string | null;
      endReasonField: string | null;
    }
  >();
  const kinds = subjectKinds();
  for (const f of FAMILIES) {
    const s = out.get(f.source) ?? {
      name: f.source,
      dimensions: [],
      families: [],
      kinds: kinds.filter((k) => k.source === f.source),
      startReasonField: null,
      endReasonField: null,
    };
    s.families.push(f);
    for (const d of f.dimensions) if (!s.dimensions.some((x) => x.name === d.name)) s.dimensions.push(d);
    if (f.kind === 'event') {
      if (f.edge === 'start') s.startReasonField ??= f.reasonField;
      else s.endReasonField ??= f.reasonField;
    }
    out.set(f.source, s);
  }
  return out;
}

let schemaCache: { generation: number; schemas: ReadonlyMap<string, SourceSchema> } | undefined;
/** The schemas of every counted source, rebuilt when a source registered at run time adds families. */
function schemas(): ReadonlyMap<string, SourceSchema> {
  const generation = measureRegistryGeneration();
  if (schemaCache?.generation !== generation) schemaCache = { generation, schemas: deriveSchemas() };
  return schemaCache.schemas;
}

/** One string object per AGS and per enum value, shared by all spells. */
const CANONICAL_AGS = new Map(MUNICIPALITIES.map((m) => [m.ags, m.ags]));
const REASONS = ['birth', 'move_in', 'immigration', 'address_change', 'initial', 'death', 'move_out', 'emigration'];
const CANONICAL_REASON = new Map(REASONS.map((r) => [r, r]));

/** Position of a family among the families of its source (the slot of its cell id in `Spell.cellIds`). */
export function familySlot(family: Family): number {
  return schemas().get(family.source)!.families.indexOf(family);
}

/** sources.md: dates are real calendar dates between 1900-01-01 and 2100-12-31. */
const FIRST_DAY = dayFromCivil(1900, 1, 1);
const LAST_DAY = dayFromCivil(2100, 12, 31);

export function isCountedSource(source: string): boolean {
  return schemas().has(source);
}

export type NormalizeResult = { ok: true; spell: Spell } | { ok: false; rejection: Rejection };

function attribute(dim: Dimension, raw: unknown): CellValue | undefined {
  switch (dim.type.kind) {
    case 'birthMonth':
      return tryParseBirthMonth(raw) ?? undefined;
    case 'enum': {
      const text = typeof raw === 'number' ? String(raw) : raw;
      const i = typeof text === 'string' ? dim.type.values.indexOf(text) : -1;
      return i >= 0 ? dim.type.values[i] : undefined;
    }
    case 'boolean':
      if (typeof raw === 'boolean') return raw;
      return raw === 'true' ? true : raw === 'false' ? false : undefined;
    case 'number': {
      const n = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
      return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
    }
  }
}

const reasonOf = (v: unknown): string | null => (typeof v === 'string' ? (CANONICAL_REASON.get(v) ?? v) : null);

/**
 * Reduces a lake record of a counted source to a Spell, or says which field breaks which rule.
 * The lake is validated upstream; this guards the counts against anything that slipped through.
 */
export function normalizeLakeRecord(record: LakeRecord, recordKey?: string): NormalizeResult {
  const schema = schemas().get(record.source);
  const reject = (field: string, rule: string): NormalizeResult => ({
    ok: false,
    rejection: { source: record.source, recordId: record.recordId, field, rule },
  });
  if (!schema) return reject('source', 'not a counted source');
  const ags = typeof record.ags === 'string' ? CANONICAL_AGS.get(record.ags) : undefined;
  if (ags === undefined) return reject('ags', 'not a municipality of the county');
  const from = tryParseDay(record.validFrom);
  if (from === null) return reject('validFrom', 'not a date');
  if (from < FIRST_DAY || from > LAST_DAY) return reject('validFrom', 'outside 1900-01-01 … 2100-12-31');
  let to = OPEN_END;
  if (record.validTo !== null && record.validTo !== undefined) {
    const parsed = tryParseDay(record.validTo);
    if (parsed === null) return reject('validTo', 'not a date');
    if (parsed > LAST_DAY) return reject('validTo', 'outside 1900-01-01 … 2100-12-31');
    if (parsed <= from) return reject('validTo', 'not after validFrom');
    to = parsed;
  }
  for (const kind of schema.kinds) {
    const id = kind.subjectField === 'recordId' ? record.recordId : record[kind.subjectField];
    if (typeof id !== 'string' || id.length === 0) return reject(kind.subjectField, 'required');
  }
  // Exact-size arrays (map), not push: a pushed-to array reserves room for 17 elements.
  const subjects = schema.kinds.map(
    (k) => `${k.name}:${k.subjectField === 'recordId' ? record.recordId : (record[k.subjectField] as string)}`,
  );
  const attributes: Record<string, CellValue> = {};
  for (const dim of schema.dimensions) {
    const value = attribute(dim, record[dim.name]);
    if (value === undefined)
      return reject(dim.name, dim.type.kind === 'enum' ? 'not an allowed value' : `not a valid ${dim.type.kind}`);
    attributes[dim.name] = value;
  }
  return {
    ok: true,
    spell: {
      recordKey: recordKey ?? `${schema.name}:${record.recordId}`,
      source: schema.name,
      ags,
      from,
      to,
      startReason: schema.startReasonField ? reasonOf(record[schema.startReasonField]) : null,
      endReason: schema.endReasonField ? reasonOf(record[schema.endReasonField]) : null,
      attributes,
      subjects,
      cellIds: schema.families.map(() => -1),
    },
  };
}
