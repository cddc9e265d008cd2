import { parseDecimal } from '../values/rational';
import { type AgeFilter, type AttributeFilter, type Expr, ExpressionError, type Filter, type MeasureCall } from './ast';
import { type Token, tokenize } from './lexer';

/** Functions of the language; everything else followed by `(` (or standing alone) is a measure symbol. */
export const FUNCTIONS: ReadonlySet<string> = new Set(['meanAge']);

/**
 * Recursive-descent parser of catalogue formulas (see libs/indicators/README.md for the grammar):
 *
 *   expression := additive
 *   additive   := term (('+' | '-') term)*
 *   term       := unary (('*' | '/') unary)*
 *   unary      := '-' unary | primary
 *   primary    := NUMBER | '(' additive ')' | FUNCTION '(' additive ')' | measure
 *   measure    := SYMBOL [ '(' [ filter (',' filter)* ] ')' ] [ 'at' 'd' [ '-' Ny ] ]
 *   filter     := N '-' N | ('<' | '<=' | '>' | '>=') N | 'age' cmp N
 *               | ATTR ('=' | '!=') VALUE | ATTR cmp NUMBER | ATTR 'in' '[' VALUE (',' VALUE)* ']' | WORD
 */
export function parseExpression(source: string): Expr {
  return new Parser(tokenize(source)).parseAll();
}

class Parser {
  private i = 0;

  constructor(private readonly tokens: Token[]) {}

  parseAll(): Expr {
    const expr = this.additive();
    const t = this.peek();
    if (t.type !== 'end') throw new ExpressionError(`unexpected '${t.text}'`, t.pos);
    return expr;
  }

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.i + offset, this.tokens.length - 1)];
  }

  private next(): Token {
    const t = this.peek();
    if (t.type !== 'end') this.i++;
    return t;
  }

  private isOp(text: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.type === 'op' && t.text === text;
  }

  private expectOp(text: string): Token {
    const t = this.next();
    if (t.type !== 'op' || t.text !== text) throw this.unexpected(t, `'${text}'`);
    return t;
  }

  private unexpected(t: Token, expected: string): ExpressionError {
    return new ExpressionError(
      t.type === 'end' ? `expected ${expected} but the formula ends` : `expected ${expected}, found '${t.text}'`,
      t.pos,
    );
  }

  private additive(): Expr {
    let left = this.term();
    while (this.isOp('+') || this.isOp('-')) {
      const op = this.next();
      left = { kind: 'binary', op: op.text as '+' | '-', left, right: this.term(), pos: op.pos };
    }
    return left;
  }

  private term(): Expr {
    let left = this.unary();
    while (this.isOp('*') || this.isOp('/')) {
      const op = this.next();
      left = { kind: 'binary', op: op.text as '*' | '/', left, right: this.unary(), pos: op.pos };
    }
    return left;
  }

  private unary(): Expr {
    if (this.isOp('-')) {
      const op = this.next();
      return { kind: 'neg', operand: this.unary(), pos: op.pos };
    }
    return this.primary();
  }

  private primary(): Expr {
    const t = this.peek();
    if (t.type === 'number') {
      this.next();
      return { kind: 'number', value: parseDecimal(t.text), text: t.text, pos: t.pos };
    }
    if (this.isOp('(')) {
      this.next();
      const inner = this.additive();
      this.expectOp(')');
      return inner;
    }
    if (t.type === 'word') {
      if (FUNCTIONS.has(t.text)) {
        this.next();
        this.expectOp('(');
        const args: Expr[] = [this.additive()];
        while (this.isOp(',')) {
          this.next();
          args.push(this.additive());
        }
        this.expectOp(')');
        return { kind: 'call', name: t.text, args, pos: t.pos };
      }
      // Measure symbols are upper case (P, BG, WP); a lower-case word with arguments is a function.
      if (/^[a-z]/.test(t.text) && this.isOp('(', 1)) throw new ExpressionError(`unknown function '${t.text}'`, t.pos);
      return this.measure();
    }
    throw this.unexpected(t, 'a number, a measure or (');
  }

  private measure(): MeasureCall {
    const symbolToken = this.next();
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(symbolToken.text)) throw this.unexpected(symbolToken, 'a measure symbol');
    const filters: Filter[] = [];
    if (this.isOp('(')) {
      this.next();
      if (!this.isOp(')')) {
        filters.push(this.filter());
        while (this.isOp(',')) {
          this.next();
          filters.push(this.filter());
        }
      }
      this.expectOp(')');
    }
    let yearsBack = 0;
    const at = this.peek();
    if (at.type === 'word' && at.text === 'at') {
      this.next();
      const d = this.next();
      if (d.type !== 'word' || d.text !== 'd') throw this.unexpected(d, "'d'");
      if (this.isOp('-')) {
        this.next();
        const shift = this.next();
        const m = shift.type === 'word' ? /^(\d+)y$/.exec(shift.text) : null;
        if (!m) throw this.unexpected(shift, 'a shift in years such as 1y');
        yearsBack = Number(m[1]);
      }
    }
    return { kind: 'measure', symbol: symbolToken.text, filters, yearsBack, pos: symbolToken.pos };
  }

  private integer(): number {
    const t = this.next();
    if (t.type !== 'number' || !/^\d+$/.test(t.text)) throw this.unexpected(t, 'a whole number of years');
    return Number(t.text);
  }

  private ageComparison(pos: number): AgeFilter {
    const op = this.next().text;
    const n = this.integer();
    switch (op) {
      case '<':
        return { kind: 'age', min: null, max: n - 1, pos };
      case '<=':
        return { kind: 'age', min: null, max: n, pos };
      case '>':
        return { kind: 'age', min: n + 1, max: null, pos };
      default:
        return { kind: 'age', min: n, max: null, pos };
    }
  }

  private isComparison(offset = 0): boolean {
    return ['<', '<=', '>', '>='].some((op) => this.isOp(op, offset));
  }

  private filter(): Filter {
    const t = this.peek();
    if (t.type === 'number') {
      const min = this.integer();
      this.expectOp('-');
      const max = this.integer();
      if (max < min) throw new ExpressionError('age range ends before it starts', t.pos);
      return { kind: 'age', min, max, pos: t.pos };
    }
    if (this.isComparison()) return this.ageComparison(t.pos);
    if (t.type !== 'word') throw this.unexpected(t, 'a filter');
    this.next();
    if (t.text === 'age' && this.isComparison()) return this.ageComparison(t.pos);
    const attribute = t.text;
    if (this.isOp('=') || this.isOp('!=')) {
      const op = this.next().text as '=' | '!=';
      return { kind: 'attribute', attribute, op, values: [this.value()], bare: false, pos: t.pos };
    }
    if (this.isComparison()) {
      const op = this.next().text as AttributeFilter['op'];
      const n = this.next();
      if (n.type !== 'number') throw this.unexpected(n, 'a number');
      return { kind: 'attribute', attribute, op, values: [n.text], bare: false, pos: t.pos };
    }
    const maybeIn = this.peek();
    if (maybeIn.type === 'word' && maybeIn.text === 'in') {
      this.next();
      this.expectOp('[');
      const values = [this.value()];
      while (this.isOp(',')) {
        this.next();
        values.push(this.value());
      }
      this.expectOp(']');
      return { kind: 'attribute', attribute, op: 'in', values, bare: false, pos: t.pos };
    }
    return { kind: 'attribute', attribute, op: '=', values: [], bare: true, pos: t.pos };
  }

  private value(): string {
    const t = this.next();
    if (t.type !== 'word' && t.type !== 'number') throw this.unexpected(t, 'a value');
    return t.text;
  }
}
