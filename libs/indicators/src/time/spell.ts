import { type Day, OPEN_END } from './day';

/** indicators.md: a spell counts at d when `validFrom <= d < validTo` (validTo null = open). */
export function isValidAt(validFrom: Day, validTo: Day | null, d: Day): boolean {
  return validFrom <= d && d < (validTo ?? OPEN_END);
}
