import { rational } from '../values/rational';
import { ExpressionError } from './ast';
import { canonicalMeasureCall, compileFormula } from './compile';
import { evaluateFormula } from './evaluate';
import { parseExpression } from './parser';

const keys = (formula: string): string[] => compileFormula(formula).calls.map((c) => c.key);

function errorOf(formula: string, declared?: string[]): ExpressionError {
  try {
    compileFormula(formula, declared);
  } catch (e) {
    if (e instanceof ExpressionError) return e;
    throw e;
  }
  throw new Error('expected an ExpressionError');
}

describe('parsing', () => {
  it('reads measures with filters, shifts and arithmetic with precedence', () => {
    const ast = parseExpression('(P(<20) + P(>=65)) / P(20-64) * 100');
    expect(ast).toMatchObject({
      kind: 'binary',
      op: '*',
      left: { kind: 'binary', op: '/' },
      right: { kind: 'number' },
    });
    expect(keys('B - D * 2')).toEqual(['B()', 'D()']);
    expect(parseExpression('B - D * 2')).toMatchObject({ op: '-', right: { op: '*' } });
    expect(parseExpression('1 - 2 - 3')).toMatchObject({ op: '-', left: { op: '-' } }); // left-associative
  });

  it('writes filters canonically and merges equal measure calls', () => {
    expect(keys('P(sex=f, 15-49)')).toEqual(['P(sex=f, 15-49)']);
    expect(keys('P(age < 3) + P(<=2) + P()')).toEqual(['P(<3)', 'P()']);
    expect(keys('H(paragraph in [33,34,35a])')).toEqual(['H(paragraph in [33, 34, 35a])']);
    expect(keys('(P() − P() at d−1y) / P() at d-1y × 100')).toEqual(['P()', 'P() at d-1y']);
    expect(keys('C(hoursPerWeek > 35) / C()')).toEqual(['C(hoursPerWeek>35)', 'C()']);
    expect(keys('P(≥65) + P(>64)')).toEqual(['P(>=65)']);
    expect(canonicalMeasureCall(parseExpression('S(employable, 15–64)') as never)).toBe('S(employable, 15-64)');
  });

  it('names the position of a syntax error', () => {
    expect(errorOf('B / ').message).toBe('expected a number, a measure or ( but the formula ends at position 5');
    expect(errorOf('P(<20').pos).toBe(5);
    expect(errorOf('B $ D').pos).toBe(2);
    expect(errorOf('P(20-)').pos).toBe(5);
    expect(errorOf('P() at y').pos).toBe(7);
    expect(errorOf('P(30-20)').reason).toBe('age range ends before it starts');
    expect(errorOf('B D').reason).toBe("unexpected 'D'");
  });
});

describe('checking against the measure registry', () => {
  it('rejects unknown measures, attributes and values, with positions', () => {
    expect(errorOf('B / Q() * 1000')).toMatchObject({ reason: "unknown measure 'Q'", pos: 4 });
    expect(errorOf('P(colour=red)').reason).toMatch(/^unknown attribute 'colour' for P/);
    expect(errorOf('P(sex=w)')).toMatchObject({ pos: 2 });
    expect(errorOf('P(sex=w)').reason).toContain("'w' is not a value of sex");
    expect(errorOf('P(employable)').reason).toBe("'employable' is no yes/no attribute of P");
    expect(errorOf('B(<20)').reason).toBe('B counts events; age filters apply to state measures only');
    expect(errorOf('W(<20)').reason).toBe('W has no birth month to filter by age');
    expect(errorOf('P(sex > 3)').reason).toContain('cannot be compared');
    expect(errorOf('meanAge(B)').reason).toContain('meanAge needs a count of persons');
    expect(errorOf('median(P())').reason).toBe("unknown function 'median'");
  });

  it('requires declared measures to match the formula', () => {
    expect(errorOf('B / P() * 1000', ['B'])).toMatchObject({
      reason: "measure 'P' is not declared in measures",
      pos: 4,
    });
    expect(errorOf('B', ['B', 'P']).reason).toBe("declared measure 'P' is not used by the formula");
  });

  it('compiles attribute tests the engine applies to cells', () => {
    const [call] = compileFormula('S(employable, foreign, 15-64)').calls;
    expect(call.age).toEqual({ min: 15, max: 64 });
    expect(call.tests).toHaveLength(2);
    const [h] = compileFormula('H(paragraph in [33, 34])').calls;
    const paragraph = h.family.dimensions.findIndex((d) => d.name === 'paragraph');
    expect(h.tests[0].dimension).toBe(paragraph);
    expect(['33', '34', '35', '35a'].map((p) => h.tests[0].test(p))).toEqual([true, true, false, false]);
  });
});

describe('evaluation', () => {
  const v = (value: number, ageSum = 0) => ({ value, ageSum });

  it('computes exactly', () => {
    const f = compileFormula('(P(<20) + P(>=65)) / P(20-64) * 100');
    expect(evaluateFormula(f, [v(5), v(2), v(3)])).toEqual(rational(700, 3));
    expect(evaluateFormula(compileFormula('-B + 0.5'), [v(2)])).toEqual(rational(-3, 2));
  });

  it('is null when any denominator is zero', () => {
    expect(evaluateFormula(compileFormula('B / P() * 1000'), [v(1), v(0)])).toBeNull();
    expect(evaluateFormula(compileFormula('(P() - P() at d-1y) / P() at d-1y * 100'), [v(10), v(0)])).toBeNull();
    expect(evaluateFormula(compileFormula('meanAge(P())'), [v(0, 0)])).toBeNull();
  });

  it('means ages as sum of completed ages over persons', () => {
    expect(evaluateFormula(compileFormula('meanAge(P())'), [v(4, 10)])).toEqual(rational(5, 2));
  });
});
