/**
 * What the catalogue's formulas can count: measure symbols (indicators.md "Measures") and the counting
 * families behind them. This is data interpreted by the engine: a new source feeds the catalogue by
 * declaring a family (its source, the identifier that makes a subject, the attributes a filter may
 * use) and a measure symbol — no new counting code.
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

/** The lake field that identifies a subject: distinct subjects are what a state family counts. */
export type SubjectField = 'personId' | 'childId' | 'householdId' | 'recordId';

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
  readonly reasonField: 'startReason' | 'endReason';
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

const birthMonth: Dimension = { name: 'birthMonth', type: { kind: 'birthMonth' } };
const sex: Dimension = { name: 'sex', type: { kind: 'enum', values: ['m', 'f', 'd', 'x'] } };
const nationalityGroup: Dimension = {
  name: 'nationalityGroup',
  type: { kind: 'enum', values: ['german', 'foreign'] },
  shorthands: { foreign: 'foreign', german: 'german' },
};

const populationEvent = (
  name: string,
  edge: 'start' | 'end',
  reasons: string[],
  countyExcludesInternalMoves: boolean,
): EventFamily => ({
  name,
  kind: 'event',
  source: 'population',
  subjectField: 'personId',
  dimensions: [sex, nationalityGroup],
  edge,
  reasonField: edge === 'start' ? 'startReason' : 'endReason',
  reasons,
  countyExcludesInternalMoves,
});

export const FAMILIES: readonly Family[] = [
  {
    name: 'population',
    kind: 'state',
    source: 'population',
    subjectField: 'personId',
    dimensions: [birthMonth, sex, nationalityGroup],
  },
  populationEvent('births', 'start', ['birth'], false),
  populationEvent('deaths', 'end', ['death'], false),
  populationEvent('moves_in', 'start', ['move_in', 'immigration'], true),
  populationEvent('moves_out', 'end', ['move_out', 'emigration'], true),
  {
    name: 'sgb2_persons',
    kind: 'state',
    source: 'sgb2',
    subjectField: 'personId',
    dimensions: [birthMonth, sex, nationalityGroup, { name: 'employable', type: { kind: 'boolean' } }],
  },
  { name: 'sgb2_households', kind: 'state', source: 'sgb2', subjectField: 'householdId', dimensions: [] },
  {
    name: 'basic_income_elderly',
    kind: 'state',
    source: 'basic_income_elderly',
    subjectField: 'personId',
    dimensions: [
      birthMonth,
      sex,
      { name: 'reason', type: { kind: 'enum', values: ['age', 'reduced_earning_capacity'] } },
    ],
  },
  {
    name: 'unemployment',
    kind: 'state',
    source: 'unemployment',
    subjectField: 'personId',
    dimensions: [
      birthMonth,
      sex,
      nationalityGroup,
      { name: 'legalBasis', type: { kind: 'enum', values: ['sgb2', 'sgb3'] } },
    ],
  },
  {
    name: 'childcare',
    kind: 'state',
    source: 'childcare',
    subjectField: 'childId',
    dimensions: [
      birthMonth,
      { name: 'careType', type: { kind: 'enum', values: ['kita', 'tagespflege'] } },
      { name: 'hoursPerWeek', type: { kind: 'number' } },
    ],
  },
  {
    name: 'youth_welfare',
    kind: 'state',
    source: 'youth_welfare',
    // Cases, not persons (indicators.md): every record is its own subject.
    subjectField: 'recordId',
    dimensions: [
      birthMonth,
      sex,
      {
        name: 'paragraph',
        type: { kind: 'enum', values: ['27', '28', '29', '30', '31', '32', '33', '34', '35', '35a', '41'] },
      },
    ],
  },
  {
    name: 'housing_benefit',
    kind: 'state',
    source: 'housing_benefit',
    subjectField: 'householdId',
    dimensions: [{ name: 'householdSize', type: { kind: 'number' } }],
  },
];

const count = { kind: 'count' } as const;

export const MEASURES: readonly MeasureDefinition[] = [
  { symbol: 'P', family: 'population', aggregate: count, description: 'persons of population valid at d' },
  {
    symbol: 'B',
    family: 'births',
    aggregate: count,
    description: 'population spells starting with birth in the window',
  },
  { symbol: 'D', family: 'deaths', aggregate: count, description: 'population spells ending with death in the window' },
  {
    symbol: 'IN',
    family: 'moves_in',
    aggregate: count,
    description: 'population spells starting with move_in/immigration in the window',
  },
  {
    symbol: 'OUT',
    family: 'moves_out',
    aggregate: count,
    description: 'population spells ending with move_out/emigration in the window',
  },
  { symbol: 'S', family: 'sgb2_persons', aggregate: count, description: 'persons of sgb2 valid at d' },
  {
    symbol: 'BG',
    family: 'sgb2_households',
    aggregate: count,
    description: 'distinct sgb2 households (benefit units) valid at d',
  },
  {
    symbol: 'G',
    family: 'basic_income_elderly',
    aggregate: count,
    description: 'persons of basic_income_elderly valid at d',
  },
  { symbol: 'U', family: 'unemployment', aggregate: count, description: 'persons of unemployment valid at d' },
  { symbol: 'C', family: 'childcare', aggregate: count, description: 'children of childcare valid at d' },
  { symbol: 'H', family: 'youth_welfare', aggregate: count, description: 'youth_welfare cases valid at d' },
  { symbol: 'W', family: 'housing_benefit', aggregate: count, description: 'housing_benefit households valid at d' },
  {
    symbol: 'WP',
    family: 'housing_benefit',
    aggregate: { kind: 'sum', dimension: 'householdSize' },
    description: 'sum of householdSize of housing_benefit households valid at d',
  },
];

const familyByName = new Map(FAMILIES.map((f) => [f.name, f]));
const measureBySymbol = new Map(MEASURES.map((m) => [m.symbol, m]));

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
export const SUBJECT_KINDS: readonly SubjectKind[] = (() => {
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
})();

/** Sources whose records the engine counts (reference_values is stored separately). */
export const COUNTED_SOURCES: readonly string[] = [...new Set(FAMILIES.map((f) => f.source))];
