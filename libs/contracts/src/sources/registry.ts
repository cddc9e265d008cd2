import basicIncomeElderly from './declarations/basic-income-elderly.json';
import childcare from './declarations/childcare.json';
import housingBenefit from './declarations/housing-benefit.json';
import population from './declarations/population.json';
import referenceValues from './declarations/reference-values.json';
import sgb2 from './declarations/sgb2.json';
import unemployment from './declarations/unemployment.json';
import youthWelfare from './declarations/youth-welfare.json';
import { parseSourceDeclaration } from './declaration-format';
import type { SourceDeclaration } from './source-declaration';

/**
 * The sources shipped with the code (spec/sources.md), in the order of the spec: the committed
 * declaration files (declarations/*.json), parsed and checked like a declaration registered at run time.
 */
export const SOURCES: readonly SourceDeclaration[] = [
  population,
  sgb2,
  unemployment,
  childcare,
  youthWelfare,
  housingBenefit,
  basicIncomeElderly,
  referenceValues,
].map((doc) => parseSourceDeclaration(doc));

/** The names of the shipped sources. */
export const SOURCE_NAMES: readonly string[] = SOURCES.map((s) => s.name);

interface Entry {
  readonly declaration: SourceDeclaration;
  readonly retired: boolean;
}

/**
 * The sources this process knows: the shipped ones plus those registered at run time (every service
 * follows the source topic and adopts each version here, see `adoptSourceVersion`). Adoption is
 * idempotent and only ever moves to a higher version.
 */
const entries = new Map<string, Entry>(SOURCES.map((s) => [s.name, { declaration: s, retired: false }]));
const listeners = new Set<(declaration: SourceDeclaration, retired: boolean) => void>();

/** The current declaration of a source (retired ones included: their stored records still need it), or undefined. */
export function sourceDeclaration(name: string): SourceDeclaration | undefined {
  return entries.get(name)?.declaration;
}

/** The declaration of a source that accepts deliveries: known and not retired. */
export function deliverableSource(name: string): SourceDeclaration | undefined {
  const e = entries.get(name);
  return e && !e.retired ? e.declaration : undefined;
}

/** Every known source with its state, shipped ones first, then in registration order. */
export function knownSources(): Array<{ declaration: SourceDeclaration; retired: boolean }> {
  return [...entries.values()];
}

/**
 * Adopts a version of a declaration (from the source topic). Returns false when it is not newer than
 * what this process holds (a replayed or duplicate message). A retirement is a version of its own
 * (`retired` true) that keeps the declaration for the records already stored.
 */
export function adoptSourceVersion(declaration: SourceDeclaration, retired = false): boolean {
  const held = entries.get(declaration.name);
  if (held && held.declaration.version >= declaration.version) return false;
  entries.set(declaration.name, { declaration, retired });
  for (const listener of listeners) listener(declaration, retired);
  return true;
}

/** Hears every adopted version (the engine registers the measures of new sources). Returns an unsubscribe. */
export function onSourceAdopted(listener: (declaration: SourceDeclaration, retired: boolean) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
