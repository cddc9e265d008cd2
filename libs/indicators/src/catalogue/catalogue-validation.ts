import { type Expr, ExpressionError } from '../expression/ast';
import { type CompiledFormula, type CompiledMeasureCall, compileFormula } from '../expression/compile';
import { familyOfMeasure } from '../measures/measure-registry';
import { rational } from '../values/rational';
import {
  CATEGORIES,
  type CatalogueDocument,
  type IndicatorDefinition,
  type IndicatorEntry,
  type LocalizedText,
} from './indicator-definition';

/** One problem of a catalogue: the entry (id, or `#n` when it has none) and what is wrong. */
export interface CatalogueProblem {
  readonly indicator: string;
  readonly message: string;
}

/** A catalogue that cannot be used; the message names the indicator id (or entry index) and the position. */
export class CatalogueError extends Error {
  override readonly name = 'CatalogueError';
  constructor(
    message: string,
    /** Every problem found (the message names the first). */
    readonly problems: readonly CatalogueProblem[] = [],
  ) {
    super(message);
  }
}

const ID = /^[a-z][a-z0-9_]{0,63}$/;
const COUNT_UNITS = ['persons', 'households', 'cases'];
export const INDEX_UNIT = 'index';

class EntryProblem extends Error {
  constructor(
    readonly indicator: string,
    readonly reason: string,
  ) {
    super(`catalogue: indicator ${indicator}: ${reason}`);
  }
}

function fail(where: string, reason: string): never {
  throw new EntryProblem(where, reason);
}

function requireText(where: string, field: string, value: unknown): void {
  if (typeof value !== 'string' || value.trim() === '') fail(where, `${field} must be a non-empty text`);
}

function requireTexts(where: string, field: string, value: unknown): void {
  const t = value as Partial<LocalizedText> | undefined;
  if (!t || typeof t !== 'object') fail(where, `${field} needs de and en`);
  requireText(where, `${field}.de`, t.de);
  requireText(where, `${field}.en`, t.en);
}

/**
 * A share's formula must read `numerator / denominator [* constant]` with two measures, so that
 * "denominator minus numerator" (privacy.md §3) is well defined: calls[0] / calls[1].
 */
function checkShareShape(where: string, compiled: CompiledFormula): void {
  let e: Expr = compiled.ast;
  if (e.kind === 'binary' && e.op === '*' && e.right.kind === 'number') e = e.left;
  const ok =
    e.kind === 'binary' &&
    e.op === '/' &&
    e.left.kind === 'measure' &&
    e.right.kind === 'measure' &&
    compiled.calls.length === 2 &&
    compiled.callOf.get(e.left) === 0 &&
    compiled.callOf.get(e.right) === 1;
  if (!ok) fail(where, 'a share needs the form numerator / denominator * constant over two measures');
}

/** What a measure counts: persons, households or cases (youth welfare). */
function countUnit(call: CompiledMeasureCall): string {
  if (call.family.subjectField === 'householdId' && call.measure.aggregate.kind === 'count') return 'households';
  if (call.family.subjectField === 'recordId') return 'cases';
  return 'persons';
}

/**
 * The units a formula's shape allows, or null when its shape says nothing: a count (or sum and
 * difference of counts of one kind) gives that kind; `× 100` per cent or a ratio; `× 1000` per mille;
 * `meanAge(…)` years.
 */
export function unitsOfFormula(compiled: CompiledFormula): { units: readonly string[]; shape: string } | null {
  const of = (e: Expr): { units: readonly string[]; shape: string } | null => {
    if (e.kind === 'measure') {
      const i = compiled.callOf.get(e);
      return i === undefined ? null : { units: [countUnit(compiled.calls[i])], shape: 'a count' };
    }
    if (e.kind === 'call' && e.name === 'meanAge') return { units: ['years'], shape: 'a mean age' };
    if (e.kind === 'binary' && (e.op === '+' || e.op === '-')) {
      const l = of(e.left);
      const r = of(e.right);
      return l && r && l.units.length === 1 && r.units.length === 1 && l.units[0] === r.units[0] ? l : null;
    }
    if (e.kind === 'binary' && e.op === '*') {
      const k = e.right.kind === 'number' ? e.right.text : e.left.kind === 'number' ? e.left.text : undefined;
      if (k === '100') return { units: ['%', 'ratio'], shape: 'a quotient × 100' };
      if (k === '1000') return { units: ['‰'], shape: 'a quotient × 1000' };
    }
    return null;
  };
  return of(compiled.ast);
}

function checkBreaks(where: string, raw: Record<string, unknown>): void {
  if (raw.breaks === undefined) return;
  if (!Array.isArray(raw.breaks)) fail(where, 'breaks must be a list of { year, note: { de, en } }');
  const years = new Set<number>();
  raw.breaks.forEach((b: Record<string, unknown>, i: number) => {
    if (!b || !Number.isInteger(b.year) || (b.year as number) < 1900 || (b.year as number) > 2100)
      fail(where, `breaks[${i}].year must be a year from 1900 to 2100`);
    if (years.has(b.year as number)) fail(where, `breaks[${i}]: year ${b.year as number} appears twice`);
    years.add(b.year as number);
    requireTexts(where, `breaks[${i}].note`, b.note);
  });
}

/** Checks the fields every entry has. */
function checkCommon(where: string, raw: Record<string, unknown>): void {
  if (typeof raw.id !== 'string' || !ID.test(raw.id)) fail(where, 'id must be lower-case letters, digits and _');
  if (!Number.isInteger(raw.version) || (raw.version as number) < 1) fail(where, 'version must be a positive integer');
  if (raw.status !== 'active' && raw.status !== 'retired') fail(where, "status must be 'active' or 'retired'");
  if (raw.kind !== undefined && raw.kind !== 'formula' && raw.kind !== 'index')
    fail(where, "kind must be 'formula' or 'index'");
  if (!CATEGORIES.includes(raw.category as never)) fail(where, `category must be one of ${CATEGORIES.join(', ')}`);
  requireTexts(where, 'names', raw.names);
  requireTexts(where, 'description', raw.description);
  requireText(where, 'unit', raw.unit);
  if (raw.decimals !== 0 && raw.decimals !== 2) fail(where, 'decimals must be 0 or 2');
  checkBreaks(where, raw);
}

/** Validates one formula entry and compiles its formula. */
export function validateEntry(entry: IndicatorEntry, index: number): IndicatorDefinition {
  const raw = entry as unknown as Record<string, unknown>;
  const where = typeof raw.id === 'string' ? `'${raw.id}'` : `#${index + 1}`;
  checkCommon(where, raw);
  if (raw.kind === 'index') fail(where, 'an index is validated with its catalogue (its inputs are other entries)');
  requireText(where, 'formula', raw.formula);
  if (!Array.isArray(raw.measures) || raw.measures.length === 0) fail(where, 'measures must list the measure symbols');
  if (!Array.isArray(raw.sources)) fail(where, 'sources must list the sources');
  if (typeof raw.share !== 'boolean') fail(where, 'share must be true or false');
  const formula = raw.formula as string;
  const measures = raw.measures as string[];
  const sources = raw.sources as string[];

  let compiled: CompiledFormula;
  try {
    compiled = compileFormula(formula, measures);
  } catch (e) {
    if (e instanceof ExpressionError) fail(where, `formula: ${e.reason} at position ${e.pos + 1}`);
    throw e;
  }
  const needed = new Set(compiled.calls.map((c) => c.family.source));
  for (const symbol of measures) {
    const family = familyOfMeasure(symbol);
    if (family) needed.add(family.source);
  }
  const declared = new Set(sources);
  for (const s of needed) if (!declared.has(s)) fail(where, `sources must include '${s}'`);
  for (const s of declared) if (!needed.has(s)) fail(where, `source '${s}' is not used by the formula`);
  if (raw.share === true) checkShareShape(where, compiled);
  const shape = unitsOfFormula(compiled);
  if (shape && !shape.units.includes(entry.unit))
    fail(
      where,
      `unit '${entry.unit}' does not match the formula, which gives ${shape.shape} (${shape.units.map((u) => `'${u}'`).join(' or ')})`,
    );
  if (COUNT_UNITS.includes(entry.unit) && entry.decimals !== 0) fail(where, `a count (${entry.unit}) needs decimals 0`);
  return {
    ...entry,
    kind: 'formula',
    formula,
    measures,
    sources,
    share: raw.share as boolean,
    breaks: entry.breaks ?? [],
    compiled,
    inputs: [],
  };
}

/** Checks an index entry's own fields (inputs are resolved with the catalogue). */
function checkIndexShape(where: string, raw: Record<string, unknown>): void {
  const spec = raw.index as Record<string, unknown> | undefined;
  if (!spec || typeof spec !== 'object') fail(where, 'an index needs index: { inputs, classes }');
  if (raw.unit !== INDEX_UNIT) fail(where, `unit '${String(raw.unit)}' does not match an index, which gives '${INDEX_UNIT}'`);
  if (raw.decimals !== 2) fail(where, 'an index needs decimals 2');
  if (raw.share === true) fail(where, 'an index cannot be a share');
  for (const f of ['formula', 'measures', 'sources'] as const)
    if (raw[f] !== undefined) fail(where, `${f} is derived from the inputs of an index; leave it out`);
  if (!Array.isArray(spec.inputs) || spec.inputs.length < 1) fail(where, 'index.inputs must list at least one indicator');
  const seen = new Set<string>();
  spec.inputs.forEach((input: Record<string, unknown>, i: number) => {
    if (!input || typeof input.indicator !== 'string') fail(where, `index.inputs[${i}].indicator must be an indicator id`);
    if (seen.has(input.indicator)) fail(where, `index.inputs[${i}]: '${input.indicator}' appears twice`);
    seen.add(input.indicator);
    if (typeof input.weight !== 'number' || !(input.weight > 0) || !Number.isFinite(input.weight))
      fail(where, `index.inputs[${i}].weight must be a positive number`);
    if (input.direction !== 'positive' && input.direction !== 'negative')
      fail(where, `index.inputs[${i}].direction must be 'positive' or 'negative'`);
  });
  if (!Array.isArray(spec.classes) || spec.classes.length < 1) fail(where, 'index.classes must list at least one class');
  let last = -Infinity;
  const ids = new Set<string>();
  spec.classes.forEach((c: Record<string, unknown>, i: number) => {
    if (!c || typeof c.id !== 'string' || !ID.test(c.id)) fail(where, `index.classes[${i}].id must be lower-case letters, digits and _`);
    if (ids.has(c.id)) fail(where, `index.classes[${i}]: '${c.id}' appears twice`);
    ids.add(c.id);
    requireTexts(where, `index.classes[${i}].names`, c.names);
    if (i === 0) {
      if (c.from !== null) fail(where, 'index.classes[0].from must be null (the lowest class has no lower bound)');
    } else {
      if (typeof c.from !== 'number' || !Number.isFinite(c.from) || c.from <= last)
        fail(where, `index.classes[${i}].from must be a number above the previous class's`);
      last = c.from;
    }
  });
}

/** The compiled stand-in of an index: the union of its inputs' measure calls (never evaluated). */
function indexCompiled(text: string, inputs: readonly IndicatorDefinition[]): CompiledFormula {
  const calls = new Map<string, CompiledMeasureCall>();
  for (const input of inputs) for (const c of input.compiled.calls) if (!calls.has(c.key)) calls.set(c.key, c);
  return {
    source: text,
    ast: { kind: 'number', value: rational(0), text: '0', pos: 0 },
    calls: [...calls.values()],
    callOf: new Map(),
    ageSumCalls: new Set(),
  };
}

/** How an index reads in the catalogue's `formula` field. */
function indexText(entry: IndicatorEntry): string {
  const parts = entry.index!.inputs.map((i) => `${i.direction === 'negative' ? '−' : '+'}${i.weight}·z(${i.indicator})`);
  return `index(${parts.join(', ')})`;
}

/** The result of checking a document: the definitions when it is valid, every problem otherwise. */
export interface CatalogueCheck {
  readonly definitions?: IndicatorDefinition[];
  readonly problems: CatalogueProblem[];
}

/**
 * Checks a whole catalogue document and reports every problem (not only the first): each entry,
 * (id, version) unique, index inputs that exist and are active formulas or indexes without a cycle.
 */
export function checkCatalogue(doc: CatalogueDocument): CatalogueCheck {
  if (!doc || typeof doc !== 'object' || !Array.isArray(doc.indicators)) {
    return { problems: [{ indicator: '-', message: 'catalogue: the document needs an indicators array' }] };
  }
  const problems: CatalogueProblem[] = [];
  const add = (e: unknown) => {
    if (e instanceof EntryProblem) problems.push({ indicator: e.indicator, message: e.message });
    else throw e;
  };
  const firstSeen = new Map<string, number>();
  const formulas = new Map<number, IndicatorDefinition>();
  const indexes: Array<{ entry: IndicatorEntry; i: number }> = [];
  doc.indicators.forEach((entry, i) => {
    const raw = entry as unknown as Record<string, unknown>;
    const where = typeof raw?.id === 'string' ? `'${raw.id}'` : `#${i + 1}`;
    try {
      if (!raw || typeof raw !== 'object') fail(where, 'must be an object');
      const key = `${String(raw.id)}@${String(raw.version)}`;
      if (firstSeen.has(key))
        fail(where, `version ${String(raw.version)} appears twice (entries #${firstSeen.get(key)! + 1} and #${i + 1})`);
      firstSeen.set(key, i);
      if (raw.kind === 'index') {
        checkCommon(where, raw);
        checkIndexShape(where, raw);
        indexes.push({ entry, i });
      } else formulas.set(i, validateEntry(entry, i));
    } catch (e) {
      add(e);
    }
  });
  if (doc.catalogueVersion !== undefined && (!Number.isInteger(doc.catalogueVersion) || doc.catalogueVersion < 1))
    problems.push({ indicator: '-', message: 'catalogue: catalogueVersion must be a positive integer' });
  if (problems.length > 0) return { problems };

  // The current (highest) version of every id decides what an index's input is.
  const currentOf = new Map<string, IndicatorEntry>();
  for (const entry of doc.indicators) {
    const before = currentOf.get(entry.id);
    if (!before || before.version < entry.version) currentOf.set(entry.id, entry);
  }
  const indexById = new Map(indexes.map((x) => [`${x.entry.id}@${x.entry.version}`, x]));
  const resolved = new Map<string, IndicatorDefinition>();
  for (const def of formulas.values()) resolved.set(`${def.id}@${def.version}`, def);
  const inCycle = new Set<string>();
  const resolve = (entry: IndicatorEntry, path: string[]): IndicatorDefinition => {
    const key = `${entry.id}@${entry.version}`;
    const done = resolved.get(key);
    if (done) return done;
    const where = `'${entry.id}'`;
    if (path.includes(entry.id)) {
      for (const id of path) inCycle.add(id); // reported once, at the first entry of the cycle
      fail(`'${path[0]}'`, `its inputs form a cycle: ${[...path, entry.id].join(' → ')}`);
    }
    const inputs = entry.index!.inputs.map((input, k) => {
      const target = currentOf.get(input.indicator);
      if (!target) fail(where, `index.inputs[${k}]: unknown indicator '${input.indicator}'`);
      if (target.status !== 'active' && entry.status === 'active')
        fail(where, `index.inputs[${k}]: indicator '${input.indicator}' is retired`);
      const targetKey = `${target.id}@${target.version}`;
      const x = indexById.get(targetKey);
      return x ? resolve(x.entry, [...path, entry.id]) : resolved.get(targetKey)!;
    });
    const text = indexText(entry);
    const def: IndicatorDefinition = {
      ...entry,
      kind: 'index',
      formula: text,
      measures: [...new Set(inputs.flatMap((d) => d.measures))],
      sources: [...new Set(inputs.flatMap((d) => d.sources))],
      share: false,
      breaks: entry.breaks ?? [],
      compiled: indexCompiled(text, inputs),
      inputs,
    };
    resolved.set(key, def);
    return def;
  };
  for (const { entry } of indexes) {
    if (inCycle.has(entry.id)) continue;
    try {
      resolve(entry, []);
    } catch (e) {
      add(e);
    }
  }
  if (problems.length > 0) return { problems };
  return { definitions: doc.indicators.map((e) => resolved.get(`${e.id}@${e.version}`)!), problems };
}

/** Validates a whole catalogue document; throws a CatalogueError naming the first problem and listing all. */
export function validateCatalogue(doc: CatalogueDocument): IndicatorDefinition[] {
  const { definitions, problems } = checkCatalogue(doc);
  if (!definitions) throw new CatalogueError(problems[0].message, problems);
  return definitions;
}

/** Fields whose change changes values: a definition with one of them changed needs a new version. */
const VALUE_FIELDS = ['kind', 'unit', 'decimals', 'formula', 'measures', 'sources', 'share', 'index'] as const;

/**
 * Problems of a draft against the catalogue in use: an (id, version) that exists in both must mean
 * the same computation (values carry their version: a changed definition needs a new version).
 */
export function checkAgainst(
  draft: readonly IndicatorEntry[],
  inUse: (id: string, version: number) => IndicatorEntry | undefined,
): CatalogueProblem[] {
  const problems: CatalogueProblem[] = [];
  for (const entry of draft) {
    const before = inUse(entry.id, entry.version);
    if (!before) continue;
    const norm = (e: IndicatorEntry, f: (typeof VALUE_FIELDS)[number]) =>
      JSON.stringify(f === 'kind' ? (e.kind ?? 'formula') : (e[f] ?? null));
    const changed = VALUE_FIELDS.filter((f) => norm(entry, f) !== norm(before, f));
    if (changed.length > 0)
      problems.push({
        indicator: `'${entry.id}'`,
        message: `catalogue: indicator '${entry.id}': version ${entry.version} is in use with another ${changed.join(', ')}; a changed definition needs a new version`,
      });
  }
  return problems;
}
