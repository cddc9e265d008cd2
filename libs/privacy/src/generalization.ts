/**
 * Generalization of quasi-identifiers (privacy.md §2): birth date to year and month, nationality to
 * `german` / `foreign` (indicators.md: foreign = anything but DE, stateless/unknown `XX` included).
 */
export class GeneralizationError extends Error {
  override readonly name = 'GeneralizationError';
}

const DATE = /^(\d{4})-(\d{2})-\d{2}$/;

export type NationalityGroup = 'german' | 'foreign';

export function birthMonthOf(birthDate: string): string {
  if (typeof birthDate !== 'string' || !DATE.test(birthDate)) {
    throw new GeneralizationError('birthDate is not a date YYYY-MM-DD');
  }
  return birthDate.slice(0, 7);
}

export function nationalityGroupOf(nationality: string): NationalityGroup {
  if (typeof nationality !== 'string' || !/^[A-Z]{2}$/.test(nationality)) {
    throw new GeneralizationError('nationality is not a two-letter upper-case code');
  }
  return nationality === 'DE' ? 'german' : 'foreign';
}

/**
 * The fixed registry of generalization rules a source declaration may name for a quasi-identifier
 * (sources.md "New sources"). A rule says which field types it accepts, the lake field it writes
 * (named after the rule) and what that field holds, so that measures can filter by it.
 */
export interface GeneralizationRule {
  readonly name: string;
  /** Field types (of a source declaration) the rule can generalize. */
  readonly accepts: readonly string[];
  /** What the generalized lake field holds. */
  readonly output:
    | { readonly kind: 'birthMonth' }
    | { readonly kind: 'enum'; readonly values: readonly string[]; readonly shorthands?: Readonly<Record<string, string>> };
  readonly description: string;
  readonly apply: (value: string) => string;
}

export const GENERALIZATION_RULES: readonly GeneralizationRule[] = [
  {
    name: 'birthMonth',
    accepts: ['date'],
    output: { kind: 'birthMonth' },
    description: 'a date (YYYY-MM-DD) becomes its year and month (YYYY-MM)',
    apply: birthMonthOf,
  },
  {
    name: 'nationalityGroup',
    accepts: ['nationality'],
    output: { kind: 'enum', values: ['german', 'foreign'], shorthands: { foreign: 'foreign', german: 'german' } },
    description: 'an ISO 3166-1 alpha-2 code becomes german (DE) or foreign (anything else, XX included)',
    apply: nationalityGroupOf,
  },
];

const rulesByName = new Map(GENERALIZATION_RULES.map((r) => [r.name, r]));

/** The named generalization rule, or undefined. */
export function generalizationRule(name: string): GeneralizationRule | undefined {
  return rulesByName.get(name);
}
