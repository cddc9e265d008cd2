/**
 * Exact fractions over BigInt. Indicator values are computed exactly from integer counts (a ratio
 * of sums of counts times a constant) and rounded only for publication, so no floating-point error
 * can move a value across a rounding boundary.
 */
export interface Rational {
  readonly n: bigint;
  /** Always > 0. */
  readonly d: bigint;
}

const abs = (x: bigint): bigint => (x < 0n ? -x : x);

function gcd(a: bigint, b: bigint): bigint {
  a = abs(a);
  b = abs(b);
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

export function rational(n: bigint | number, d: bigint | number = 1n): Rational {
  let nn = BigInt(n);
  let dd = BigInt(d);
  if (dd === 0n) throw new RangeError('zero denominator');
  if (dd < 0n) {
    nn = -nn;
    dd = -dd;
  }
  const g = gcd(nn, dd);
  return g > 1n ? { n: nn / g, d: dd / g } : { n: nn, d: dd };
}

export const add = (a: Rational, b: Rational): Rational => rational(a.n * b.d + b.n * a.d, a.d * b.d);
export const sub = (a: Rational, b: Rational): Rational => rational(a.n * b.d - b.n * a.d, a.d * b.d);
export const mul = (a: Rational, b: Rational): Rational => rational(a.n * b.n, a.d * b.d);
/** Null when `b` is zero (the caller reports `denominator_zero`). */
export const div = (a: Rational, b: Rational): Rational | null => (b.n === 0n ? null : rational(a.n * b.d, a.d * b.n));
export const neg = (a: Rational): Rational => ({ n: -a.n, d: a.d });

export function toNumber(r: Rational): number {
  // Number(n)/Number(d) is correctly rounded when both are exact doubles, which they are for counts.
  return Number(r.n) / Number(r.d);
}

/** Parses a decimal literal (`12`, `0.5`, `-1.25e-3`) exactly. */
export function parseDecimal(text: string): Rational {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text.trim());
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) throw new RangeError('not a decimal number');
  const digits = `${m[2]}${m[3] ?? ''}` || '0';
  const exponent = Number(m[4] ?? 0) - (m[3] ?? '').length;
  let n = BigInt(digits);
  let d = 1n;
  if (exponent >= 0) n *= 10n ** BigInt(exponent);
  else d = 10n ** BigInt(-exponent);
  return rational(m[1] === '-' ? -n : n, d);
}
