import { type Expr, ExpressionError } from '../expression/ast';
import { type CompiledFormula, compileFormula } from '../expression/compile';
import { familyOfMeasure } from '../measures/measure-registry';
import {
  CATEGORIES,
  type CatalogueDocument,
  type IndicatorDefinition,
  type IndicatorEntry,
} from './indicator-definition';

/** A catalogue that cannot be used; the message names the indicator id (or entry index) and the position. */
export class CatalogueError extends Error {
  override readonly name = 'CatalogueError';
}

const ID = /^[a-z][a-z0-9_]{0,63}$/;

function fail(where: string, reason: string): never {
  throw new CatalogueError(`catalogue: indicator ${where}: ${reason}`);
}

function requireText(where: string, field: string, value: unknown): void {
  if (typeof value !== 'string' || value.trim() === '') fail(where, `${field} must be a non-empty text`);
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

/** Validates one entry and compiles its formula. */
export function validateEntry(entry: IndicatorEntry, index: number): IndicatorDefinition {
  const raw = entry as unknown as Record<string, unknown>;
  const where = typeof raw.id === 'string' ? `'${raw.id}'` : `#${index + 1}`;
  if (typeof raw.id !== 'string' || !ID.test(raw.id)) fail(where, 'id must be lower-case letters, digits and _');
  if (!Number.isInteger(raw.version) || (raw.version as number) < 1) fail(where, 'version must be a positive integer');
  if (raw.status !== 'active' && raw.status !== 'retired') fail(where, "status must be 'active' or 'retired'");
  if (!CATEGORIES.includes(raw.category as never)) fail(where, `category must be one of ${CATEGORIES.join(', ')}`);
  for (const field of ['names', 'description'] as const) {
    const t = raw[field] as Record<string, unknown> | undefined;
    if (!t || typeof t !== 'object') fail(where, `${field} needs de and en`);
    requireText(where, `${field}.de`, t.de);
    requireText(where, `${field}.en`, t.en);
  }
  requireText(where, 'unit', raw.unit);
  if (raw.decimals !== 0 && raw.decimals !== 2) fail(where, 'decimals must be 0 or 2');
  requireText(where, 'formula', raw.formula);
  if (!Array.isArray(raw.measures) || raw.measures.length === 0) fail(where, 'measures must list the measure symbols');
  if (!Array.isArray(raw.sources)) fail(where, 'sources must list the sources');
  if (typeof raw.share !== 'boolean') fail(where, 'share must be true or false');

  let compiled: CompiledFormula;
  try {
    compiled = compileFormula(entry.formula, entry.measures);
  } catch (e) {
    if (e instanceof ExpressionError) fail(where, `formula: ${e.reason} at position ${e.pos + 1}`);
    throw e;
  }
  const needed = new Set(compiled.calls.map((c) => c.family.source));
  for (const symbol of entry.measures) {
    const family = familyOfMeasure(symbol);
    if (family) needed.add(family.source);
  }
  const declared = new Set(entry.sources);
  for (const s of needed) if (!declared.has(s)) fail(where, `sources must include '${s}'`);
  for (const s of declared) if (!needed.has(s)) fail(where, `source '${s}' is not used by the formula`);
  if (entry.share) checkShareShape(where, compiled);
  return { ...entry, compiled };
}

/** Validates a whole catalogue document: every entry, and (id, version) unique. */
export function validateCatalogue(doc: CatalogueDocument): IndicatorDefinition[] {
  if (!doc || typeof doc !== 'object' || !Array.isArray(doc.indicators)) {
    throw new CatalogueError('catalogue: the document needs an indicators array');
  }
  const seen = new Set<string>();
  return doc.indicators.map((entry, i) => {
    const def = validateEntry(entry, i);
    const key = `${def.id}@${def.version}`;
    if (seen.has(key)) fail(`'${def.id}'`, `version ${def.version} appears twice`);
    seen.add(key);
    return def;
  });
}
