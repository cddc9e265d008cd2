import {
  type Dimension,
  type Family,
  familyNamed,
  type MeasureDefinition,
  measureNamed,
} from '../measures/measure-registry';
import type { AgeFilter, AttributeFilter, Expr, MeasureCall } from './ast';
import { ExpressionError } from './ast';
import { parseExpression } from './parser';

/** The value of one attribute in a counting cell: enum text, boolean, number, or a birth-month index. */
export type CellValue = string | number | boolean;

export interface AttributeTest {
  /** Index into the family's dimensions (and so into a cell's attribute tuple). */
  readonly dimension: number;
  readonly test: (value: CellValue) => boolean;
}

/** A measure call resolved against the registry: what the engine counts for it. */
export interface CompiledMeasureCall {
  /** Canonical text, e.g. `P(sex=f, 15-49)` or `P() at d-1y`; equal texts are the same count. */
  readonly key: string;
  readonly symbol: string;
  readonly measure: MeasureDefinition;
  readonly family: Family;
  readonly yearsBack: number;
  /** Intersection of the age filters (completed years, inclusive), or null for all ages. */
  readonly age: { readonly min: number | null; readonly max: number | null } | null;
  readonly tests: readonly AttributeTest[];
}

export interface CompiledFormula {
  readonly source: string;
  readonly ast: Expr;
  /** Distinct measure calls in order of first appearance; `calls[0]` is "the first measure of the definition". */
  readonly calls: readonly CompiledMeasureCall[];
  /** Index into `calls` for every measure node of the tree. */
  readonly callOf: ReadonlyMap<MeasureCall, number>;
  /** Indices of calls whose age sum is needed (arguments of meanAge). */
  readonly ageSumCalls: ReadonlySet<number>;
}

export function canonicalAgeFilter(f: { min: number | null; max: number | null }): string {
  if (f.min !== null && f.max !== null) return `${f.min}-${f.max}`;
  if (f.min !== null) return `>=${f.min}`;
  if (f.max !== null) return `<${f.max + 1}`;
  return '';
}

function canonicalAttributeFilter(f: AttributeFilter): string {
  if (f.bare) return f.attribute;
  if (f.op === 'in') return `${f.attribute} in [${f.values.join(', ')}]`;
  return `${f.attribute}${f.op}${f.values[0]}`;
}

export function canonicalMeasureCall(call: MeasureCall): string {
  const filters = call.filters.map((f) => (f.kind === 'age' ? canonicalAgeFilter(f) : canonicalAttributeFilter(f)));
  return `${call.symbol}(${filters.join(', ')})${call.yearsBack > 0 ? ` at d-${call.yearsBack}y` : ''}`;
}

function intersectAges(filters: readonly AgeFilter[]): { min: number | null; max: number | null } | null {
  if (filters.length === 0) return null;
  let min: number | null = null;
  let max: number | null = null;
  for (const f of filters) {
    if (f.min !== null) min = min === null ? f.min : Math.max(min, f.min);
    if (f.max !== null) max = max === null ? f.max : Math.min(max, f.max);
  }
  return { min, max };
}

function literal(dim: Dimension, text: string, pos: number, symbol: string): CellValue {
  switch (dim.type.kind) {
    case 'enum':
      if (!dim.type.values.includes(text)) {
        throw new ExpressionError(
          `'${text}' is not a value of ${dim.name} for ${symbol} (${dim.type.values.join(', ')})`,
          pos,
        );
      }
      return text;
    case 'boolean':
      if (text !== 'true' && text !== 'false') throw new ExpressionError(`${dim.name} is true or false`, pos);
      return text === 'true';
    case 'number': {
      const n = Number(text);
      if (!/^\d+(\.\d+)?$/.test(text) || !Number.isFinite(n))
        throw new ExpressionError(`${dim.name} compares with a number`, pos);
      return n;
    }
    default:
      throw new ExpressionError(`filter ${dim.name} with an age filter such as 15-64 or >=65`, pos);
  }
}

function attributeTest(family: Family, f: AttributeFilter, symbol: string): AttributeTest {
  const dims = family.dimensions;
  if (f.bare) {
    const own = dims.findIndex((d) => d.name === f.attribute);
    if (own >= 0 && dims[own].type.kind === 'boolean') return { dimension: own, test: (v) => v === true };
    const viaShorthand = dims.findIndex((d) => d.shorthands?.[f.attribute] !== undefined);
    if (viaShorthand >= 0) {
      const wanted = dims[viaShorthand].shorthands![f.attribute];
      return { dimension: viaShorthand, test: (v) => v === wanted };
    }
    throw new ExpressionError(`'${f.attribute}' is no yes/no attribute of ${symbol}`, f.pos);
  }
  const index = dims.findIndex((d) => d.name === f.attribute);
  if (index < 0) {
    const known = dims.filter((d) => d.type.kind !== 'birthMonth').map((d) => d.name);
    throw new ExpressionError(
      `unknown attribute '${f.attribute}' for ${symbol} (known: ${known.join(', ') || 'none'})`,
      f.pos,
    );
  }
  const dim = dims[index];
  if (['<', '<=', '>', '>='].includes(f.op) && dim.type.kind !== 'number') {
    throw new ExpressionError(`${dim.name} is not a number and cannot be compared with ${f.op}`, f.pos);
  }
  const values = f.values.map((v) => literal(dim, v, f.pos, symbol));
  switch (f.op) {
    case '=':
      return { dimension: index, test: (v) => v === values[0] };
    case '!=':
      return { dimension: index, test: (v) => v !== values[0] };
    case 'in': {
      const set = new Set<CellValue>(values);
      return { dimension: index, test: (v) => set.has(v) };
    }
    default: {
      const bound = values[0] as number;
      const op = f.op;
      return {
        dimension: index,
        test: (v) =>
          typeof v === 'number' &&
          (op === '<' ? v < bound : op === '<=' ? v <= bound : op === '>' ? v > bound : v >= bound),
      };
    }
  }
}

function compileCall(call: MeasureCall, declared: ReadonlySet<string> | null): CompiledMeasureCall {
  const measure = measureNamed(call.symbol);
  if (!measure) throw new ExpressionError(`unknown measure '${call.symbol}'`, call.pos);
  if (declared && !declared.has(call.symbol)) {
    throw new ExpressionError(`measure '${call.symbol}' is not declared in measures`, call.pos);
  }
  const family = familyNamed(measure.family)!;
  const ageFilters = call.filters.filter((f): f is AgeFilter => f.kind === 'age');
  if (ageFilters.length > 0) {
    if (family.kind === 'event') {
      throw new ExpressionError(
        `${call.symbol} counts events; age filters apply to state measures only`,
        ageFilters[0].pos,
      );
    }
    if (!family.dimensions.some((d) => d.type.kind === 'birthMonth')) {
      throw new ExpressionError(`${call.symbol} has no birth month to filter by age`, ageFilters[0].pos);
    }
  }
  const tests = call.filters
    .filter((f): f is AttributeFilter => f.kind === 'attribute')
    .map((f) => attributeTest(family, f, call.symbol));
  return {
    key: canonicalMeasureCall(call),
    symbol: call.symbol,
    measure,
    family,
    yearsBack: call.yearsBack,
    age: intersectAges(ageFilters),
    tests,
  };
}

/**
 * Parses and checks a formula against the measure registry. `declaredMeasures` (the catalogue
 * entry's `measures`) must name every symbol the formula uses, and every declared symbol must be used.
 * Throws ExpressionError with the position of the offending part.
 */
export function compileFormula(source: string, declaredMeasures?: readonly string[]): CompiledFormula {
  const ast = parseExpression(source);
  const declared = declaredMeasures ? new Set(declaredMeasures) : null;
  const calls: CompiledMeasureCall[] = [];
  const byKey = new Map<string, number>();
  const callOf = new Map<MeasureCall, number>();
  const ageSumCalls = new Set<number>();
  const used = new Set<string>();

  const visit = (e: Expr): void => {
    switch (e.kind) {
      case 'number':
        return;
      case 'measure': {
        const compiled = compileCall(e, declared);
        let index = byKey.get(compiled.key);
        if (index === undefined) {
          index = calls.length;
          calls.push(compiled);
          byKey.set(compiled.key, index);
        }
        callOf.set(e, index);
        used.add(e.symbol);
        return;
      }
      case 'call': {
        if (e.name === 'meanAge') {
          const arg = e.args[0];
          if (e.args.length !== 1 || arg.kind !== 'measure') {
            throw new ExpressionError('meanAge takes one measure such as P()', e.pos);
          }
          visit(arg);
          const call = calls[callOf.get(arg)!];
          if (
            call.family.kind !== 'state' ||
            call.measure.aggregate.kind !== 'count' ||
            !call.family.dimensions.some((d) => d.type.kind === 'birthMonth')
          ) {
            throw new ExpressionError(
              `meanAge needs a count of persons with a birth month, not ${call.symbol}`,
              arg.pos,
            );
          }
          ageSumCalls.add(callOf.get(arg)!);
          return;
        }
        throw new ExpressionError(`unknown function '${e.name}'`, e.pos);
      }
      case 'neg':
        return visit(e.operand);
      case 'binary':
        visit(e.left);
        visit(e.right);
        return;
    }
  };
  visit(ast);
  if (declared) {
    for (const symbol of declared) {
      if (!used.has(symbol)) throw new ExpressionError(`declared measure '${symbol}' is not used by the formula`, 0);
    }
  }
  return { source, ast, calls, callOf, ageSumCalls };
}
