import { parseDecimal, type Rational } from './rational';

/**
 * Rounding half away from zero (indicators.md: counts as integers, everything else to 2 decimals).
 * Both functions work on exact decimal values, never on binary approximations: 1.005 → 1.01,
 * -2.5 → -3, 0.125 → 0.13.
 */
export function roundRational(value: Rational, decimals: number): number {
  const scale = 10n ** BigInt(decimals);
  const negative = value.n < 0n;
  const magnitude = (negative ? -value.n : value.n) * scale;
  // floor(x + 1/2) for x = magnitude / d, in integers: floor((2·magnitude + d) / (2d)).
  const rounded = (2n * magnitude + value.d) / (2n * value.d);
  const result = Number(rounded) / Number(scale);
  return negative && result !== 0 ? -result : result;
}

/**
 * Rounds a JavaScript number as the decimal it prints as (its shortest round-trip representation):
 * `roundHalfAwayFromZero(1.005, 2) === 1.01` although the double 1.005 lies slightly below 1.005.
 */
export function roundHalfAwayFromZero(value: number, decimals: number): number {
  if (!Number.isFinite(value)) throw new RangeError('cannot round a non-finite number');
  return roundRational(parseDecimal(String(value)), decimals);
}
