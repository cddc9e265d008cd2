import {
  onSourceAdopted,
  SOURCES,
  type FieldDeclaration,
  type SourceDeclaration,
} from '@sozialmonitor/contracts';
import { generalizationRule } from '@sozialmonitor/privacy';

/**
 * What the catalogue's formulas can count: measure symbols (indicators.md "Measures") and the counting
 * families behind them, derived from the sources' declarations (`measures` of
 * libs/contracts/src/sources/declarations/*.json): a source feeds the catalogue by declaring a family
 * (the identifier that makes a subject, the fields a filter may use) and a measure symbol — no new
 * counting code. Sources registered at run time add theirs when this process adopts them.
 *
 * A *family* is one stored histogram over time: state families hold +1/−1 deltas of validity
 * intervals (distinct subjects valid at d), event families hold +1 per spell start or end.
 */

export type DimensionType =
  /** The birth month (`YYYY-MM` in the lake); age filters select ranges of it relative to the Stichtag. */
  | { readonly kind: 'birthMonth' }
  | { readonly kind: 'enum'; readonly values: readonly string[] }
  | { readonly kind: 'boolean' }
  | { readonly kind: 'number' };

export interface Dimension {
  /** The attribute name in filters and the lake record's field name. */
  readonly name: string;
  readonly type: DimensionType;
  /** Bare-word shorthands usable in a filter, e.g. `foreign` for `nationalityGroup=foreign`. */
  readonly shorthands?: Readonly<Record<string, string>>;
}

/** The lake field that identifies a subject (an identifier of the source, or recordId: every spell is one). */
export type SubjectField = string;

interface FamilyBase {
  readonly name: string;
  readonly source: string;
  readonly subjectField: SubjectField;
  readonly dimensions: readonly Dimension[];
}

export interface StateFamily extends FamilyBase {
  readonly kind: 'state';
}

export interface EventFamily extends FamilyBase {
  readonly kind: 'event';
  /** `start`: the event day is validFrom; `end`: validTo. */
  readonly edge: 'start' | 'end';
  /** The enumeration field holding the reason (population: startReason / endReason). */
  readonly reasonField: string;
  readonly reasons: readonly string[];
  /** County value leaves out moves between two municipalities of the county (indicators.md). */
  readonly countyExcludesInternalMoves: boolean;
}

export type Family = StateFamily | EventFamily;

export interface MeasureDefinition {
  readonly symbol: string;
  readonly family: string;
  /** `count`: number of subjects (state) or events; `sum`: sum of a numeric dimension over subjects. */
  readonly aggregate: { readonly kind: 'count' } | { readonly kind: 'sum'; readonly dimension: string };
  readonly description: string;
}


/** The families and symbols of one declaration, in its order. */
export function measuresOfDeclaration(decl: SourceDeclaration): { families: Family[]; measures: MeasureDefinition[] } {
  const byName = new Map(decl.fields.map((f) => [f.name, f]));
  const families = decl.measures.families.map((fam): Family => {
    const base = {
      name: fam.name,
      source: decl.name,
      subjectField: fam.subject,
      dimensions: fam.filters.map((name) => dimensionOf(byName.get(name)!)),
    };
    if (fam.count === 'distinct') return { ...base, kind: 'state' };
    return {
      ...base,
      kind: 'event',
      edge: fam.count === 'starts' ? 'start' : 'end',
      reasonField: fam.reasonField!,
      reasons: fam.reasons!,
      countyExcludesInternalMoves: fam.countyExcludesInternalMoves ?? false,
    };
  });
  const measures = decl.measures.symbols.map(
    (m): MeasureDefinition => ({
      symbol: m.symbol,
      family: m.family,
      aggregate: m.aggregate === 'sum' ? { kind: 'sum', dimension: m.field! } : { kind: 'count' },
      description: m.description,
    }),
  );
  return { families, measures };
}

/** The filter dimension of a declared field: its lake name and what it holds (a quasi-identifier: its generalization's output). */
function dimensionOf(field: FieldDeclaration): Dimension {
  if (field.privacy.kind === 'quasi') {
    const rule = generalizationRule(field.privacy.generalization)!;
    return rule.output.kind === 'birthMonth'
      ? { name: rule.name, type: { kind: 'birthMonth' } }
      : {
          name: rule.name,
          type: { kind: 'enum', values: rule.output.values },
          ...(rule.output.shorthands ? { shorthands: rule.output.shorthands } : {}),
        };
  }
  const t = field.type;
  if (t.kind === 'enum') return { name: field.name, type: { kind: 'enum', values: t.values } };
  if (t.kind === 'boolean') return { name: field.name, type: { kind: 'boolean' } };
  return { name: field.name, type: { kind: 'number' } };
}

/** A declaration whose measures cannot join the registry (a name taken by another source). */
export class MeasureRegistryError extends Error {
  override readonly name = 'MeasureRegistryError';
}

const families: Family[] = [];
const measures: MeasureDefinition[] = [];
const familyByName = new Map<string, Family>();
const measureBySymbol = new Map<string, MeasureDefinition>();
let generation = 0;

/** Every family registered so far (grows when a source is registered at run time; never shrinks). */
export const FAMILIES: readonly Family[] = families;
/** Every measure symbol registered so far. */
export const MEASURES: readonly MeasureDefinition[] = measures;

/** Changes whenever families or measures are added: the engine's caches compare it. */
export function measureRegistryGeneration(): number {
  return generation;
}

/**
 * Adds the families and symbols of a declaration not registered yet. A new version of a registered
 * source may add symbols over its existing families; it cannot change a family (the source registry
 * refuses such versions before they get here). A family or symbol name of another source is an error.
 */
export function registerSourceMeasures(decl: SourceDeclaration): void {
  const next = measuresOfDeclaration(decl);
  const newFamilies = next.families.filter((f) => !familyByName.has(f.name));
  const newMeasures = next.measures.filter((m) => !measureBySymbol.has(m.symbol));
  for (const f of next.families) {
    const held = familyByName.get(f.name);
    if (held && held.source !== decl.name)
      throw new MeasureRegistryError(`family '${f.name}' of ${decl.name} is already a family of ${held.source}`);
  }
  for (const m of next.measures) {
    const held = measureBySymbol.get(m.symbol);
    if (held && familyByName.get(held.family)?.source !== decl.name)
      throw new MeasureRegistryError(`measure symbol '${m.symbol}' of ${decl.name} is already a measure of another source`);
  }
  if (newFamilies.length === 0 && newMeasures.length === 0) return;
  for (const f of newFamilies) {
    families.push(f);
    familyByName.set(f.name, f);
  }
  for (const m of newMeasures) {
    measures.push(m);
    measureBySymbol.set(m.symbol, m);
  }
  generation++;
}

for (const decl of SOURCES) registerSourceMeasures(decl);
onSourceAdopted((decl) => registerSourceMeasures(decl));


export function familyNamed(name: string): Family | undefined {
  return familyByName.get(name);
}

export function measureNamed(symbol: string): MeasureDefinition | undefined {
  return measureBySymbol.get(symbol);
}

export function familyOfMeasure(symbol: string): Family | undefined {
  const m = measureBySymbol.get(symbol);
  return m ? familyByName.get(m.family) : undefined;
}

/** A subject kind: records of one source grouped by one identifier field. */
export interface SubjectKind {
  /** `<source>` for the source's own subjects, `<source>.household` etc. for a second grouping (sgb2 benefit units). */
  readonly name: string;
  readonly source: string;
  readonly subjectField: SubjectField;
  readonly families: readonly Family[];
}

/** The subject kinds, derived from the families: `population`, `sgb2`, `sgb2.household`, … */
function deriveSubjectKinds(): SubjectKind[] {
  const kinds = new Map<string, { name: string; source: string; subjectField: SubjectField; families: Family[] }>();
  const firstField = new Map<string, SubjectField>();
  for (const f of FAMILIES) {
    if (!firstField.has(f.source)) firstField.set(f.source, f.subjectField);
    const name =
      firstField.get(f.source) === f.subjectField ? f.source : `${f.source}.${f.subjectField.replace(/Id$/, '')}`;
    const kind = kinds.get(name) ?? { name, source: f.source, subjectField: f.subjectField, families: [] };
    kind.families.push(f);
    kinds.set(name, kind);
  }
  return [...kinds.values()];
}

let subjectKindsCache: { generation: number; kinds: SubjectKind[] } | undefined;
/** The subject kinds of every family registered so far. */
export function subjectKinds(): readonly SubjectKind[] {
  if (subjectKindsCache?.generation !== generation) subjectKindsCache = { generation, kinds: deriveSubjectKinds() };
  return subjectKindsCache.kinds;
}
