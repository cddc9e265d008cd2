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
