import { add, div, mul, neg, type Rational, rational, sub } from '../values/rational';
import type { Expr } from './ast';
import type { CompiledFormula } from './compile';

/** The counted values of one measure call: its aggregate (count or sum) and, for meanAge, the sum of ages. */
export interface MeasureValue {
  readonly value: number;
  readonly ageSum: number;
  /** How many units (subjects or events) the value runs over: for a sum (WP) its households; for a count the count itself. */
  readonly units?: number;
}

/** Sentinel thrown inside evaluation when a division by zero happens. */
const DIVISION_BY_ZERO = Symbol('division by zero');

/**
 * Evaluates a compiled formula exactly. `values[i]` belongs to `formula.calls[i]`. Returns null when
 * any denominator is zero (the value is then published as null with reason `denominator_zero`).
 */
export function evaluateFormula(formula: CompiledFormula, values: readonly MeasureValue[]): Rational | null {
  const visit = (e: Expr): Rational => {
    switch (e.kind) {
      case 'number':
        return e.value;
      case 'measure':
        return rational(values[formula.callOf.get(e)!].value);
      case 'call': {
        // meanAge(M): sum of completed ages / number of persons
        const v = values[formula.callOf.get(e.args[0] as never)!];
        const q = div(rational(v.ageSum), rational(v.value));
        if (q === null) throw DIVISION_BY_ZERO;
        return q;
      }
      case 'neg':
        return neg(visit(e.operand));
      case 'binary': {
        const l = visit(e.left);
        const r = visit(e.right);
        if (e.op === '+') return add(l, r);
        if (e.op === '-') return sub(l, r);
        if (e.op === '*') return mul(l, r);
        const q = div(l, r);
        if (q === null) throw DIVISION_BY_ZERO;
        return q;
      }
    }
  };
  try {
    return visit(formula.ast);
  } catch (e) {
    if (e === DIVISION_BY_ZERO) return null;
    throw e;
  }
}
