import type { Rational } from '../values/rational';

/**
 * The syntax tree of a catalogue formula. `pos` is the 0-based character offset in the formula text,
 * used in error messages (reported 1-based as "position").
 */
export type Expr = NumberLiteral | MeasureCall | FunctionCall | Negation | Binary;

export interface NumberLiteral {
  readonly kind: 'number';
  readonly value: Rational;
  readonly text: string;
  readonly pos: number;
}

/** A measure with filters, e.g. `P(sex=f, 15-49)` or `P() at d-1y`. */
export interface MeasureCall {
  readonly kind: 'measure';
  readonly symbol: string;
  readonly filters: readonly Filter[];
  /** `at d-Ny`: evaluate N years before the Stichtag (0 = the Stichtag). */
  readonly yearsBack: number;
  readonly pos: number;
}

export interface FunctionCall {
  readonly kind: 'call';
  readonly name: string;
  readonly args: readonly Expr[];
  readonly pos: number;
}

export interface Negation {
  readonly kind: 'neg';
  readonly operand: Expr;
  readonly pos: number;
}

export interface Binary {
  readonly kind: 'binary';
  readonly op: '+' | '-' | '*' | '/';
  readonly left: Expr;
  readonly right: Expr;
  readonly pos: number;
}

/** Completed years, both bounds included; null = unbounded. */
export interface AgeFilter {
  readonly kind: 'age';
  readonly min: number | null;
  readonly max: number | null;
  readonly pos: number;
}

export type AttributeOperator = '=' | '!=' | 'in' | '<' | '<=' | '>' | '>=';

/** An attribute test; `values` are literal texts (`f`, `33`, `true`). A bare word has op `=` and no explicit value. */
export interface AttributeFilter {
  readonly kind: 'attribute';
  readonly attribute: string;
  readonly op: AttributeOperator;
  readonly values: readonly string[];
  /** True for a bare word such as `employable` or `foreign`. */
  readonly bare: boolean;
  readonly pos: number;
}

export type Filter = AgeFilter | AttributeFilter;

export class ExpressionError extends Error {
  override readonly name = 'ExpressionError';
  constructor(
    readonly reason: string,
    /** 0-based offset in the formula. */
    readonly pos: number,
  ) {
    super(`${reason} at position ${pos + 1}`);
  }
}
