import fc from 'fast-check';
import { add, div, mul, parseDecimal, rational, sub, toNumber } from './rational';
import { roundHalfAwayFromZero, roundRational } from './rounding';

describe('rounding half away from zero', () => {
  it.each([
    [1.005, 2, 1.01],
    [1.015, 2, 1.02],
    [2.675, 2, 2.68],
    [0.125, 2, 0.13],
    [-0.125, 2, -0.13],
    [-2.5, 0, -3],
    [2.5, 0, 3],
    [0.5, 0, 1],
    [1.4999, 0, 1],
    [-0.004, 2, 0],
    [1e-7, 2, 0],
    [123456.785, 2, 123456.79],
  ])('%p to %p decimals is %p', (x, decimals, expected) => {
    expect(roundHalfAwayFromZero(x, decimals)).toBe(expected);
  });

  it('never yields negative zero', () => {
    expect(Object.is(roundHalfAwayFromZero(-0.001, 2), 0)).toBe(true);
    expect(Object.is(roundRational(rational(-1, 1000), 2), 0)).toBe(true);
  });

  it('rounds exact fractions: 1/8 → 0.13, 2/3 → 0.67, −1/6 → −0.17, 379/12 → 31.58', () => {
    expect(roundRational(rational(1, 8), 2)).toBe(0.13);
    expect(roundRational(rational(2, 3), 2)).toBe(0.67);
    expect(roundRational(rational(-1, 6), 2)).toBe(-0.17);
    expect(roundRational(rational(379, 12), 2)).toBe(31.58);
    expect(roundRational(rational(7, 2), 0)).toBe(4);
    expect(roundRational(rational(-7, 2), 0)).toBe(-4);
  });

  it('agrees with integer arithmetic on every fraction', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e9, max: 1e9 }), fc.integer({ min: 1, max: 1e6 }), (n, d) => {
        const r = roundRational(rational(n, d), 2);
        // reference: q = round_half_away(|n|·100/d) with BigInt
        const an = BigInt(Math.abs(n)) * 100n;
        const bd = BigInt(d);
        let q = an / bd;
        if ((an % bd) * 2n >= bd) q += 1n;
        const expected = (n < 0 ? -1 : 1) * Number(q);
        expect(r).toBe(expected === 0 ? 0 : expected / 100);
      }),
    );
  });
});

describe('exact fractions', () => {
  it('computes without binary error', () => {
    const tenth = parseDecimal('0.1');
    expect(add(tenth, parseDecimal('0.2'))).toEqual(parseDecimal('0.3'));
    expect(sub(rational(1), rational(1, 3))).toEqual(rational(2, 3));
    expect(mul(rational(2, 3), rational(3, 4))).toEqual(rational(1, 2));
    expect(div(rational(1), rational(0))).toBeNull();
    expect(toNumber(rational(1, 4))).toBe(0.25);
  });

  it('parses decimal literals', () => {
    expect(parseDecimal('1000')).toEqual(rational(1000));
    expect(parseDecimal('-1.25e-3')).toEqual(rational(-5, 4000));
    expect(parseDecimal('1e21')).toEqual(rational(10n ** 21n));
    expect(() => parseDecimal('abc')).toThrow(RangeError);
  });
});
