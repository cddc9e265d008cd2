import { ExpressionError } from './ast';

export type TokenType = 'number' | 'word' | 'op' | 'end';

export interface Token {
  readonly type: TokenType;
  /** Operators normalized to ASCII (`−`/`–` → `-`, `×` → `*`, `≥` → `>=`, `≤` → `<=`, `≠` → `!=`). */
  readonly text: string;
  readonly pos: number;
}

const UNICODE_OPERATORS: Readonly<Record<string, string>> = {
  '\u2212': '-',
  '\u2013': '-',
  '\u00d7': '*',
  '\u00b7': '*',
  '\u2265': '>=',
  '\u2264': '<=',
  '\u2260': '!=',
};
const TWO_CHAR = new Set(['<=', '>=', '!=']);
const ONE_CHAR = new Set(['+', '-', '*', '/', '(', ')', ',', '[', ']', '=', '<', '>']);

const isDigit = (c: string): boolean => c >= '0' && c <= '9';
const isWordChar = (c: string): boolean => /[A-Za-z0-9_]/.test(c);

/**
 * Splits a formula into tokens. Numbers are `123` or `1.5`; a number run directly followed by letters
 * (`35a`, `1y`) is a word, so paragraph values and the `d-1y` shift read naturally.
 */
export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const start = i;
    if (isDigit(c)) {
      while (i < source.length && isDigit(source[i])) i++;
      if (source[i] === '.' && isDigit(source[i + 1] ?? '')) {
        i++;
        while (i < source.length && isDigit(source[i])) i++;
      }
      if (i < source.length && /[A-Za-z_]/.test(source[i])) {
        while (i < source.length && isWordChar(source[i])) i++;
        tokens.push({ type: 'word', text: source.slice(start, i), pos: start });
      } else {
        tokens.push({ type: 'number', text: source.slice(start, i), pos: start });
      }
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      while (i < source.length && isWordChar(source[i])) i++;
      tokens.push({ type: 'word', text: source.slice(start, i), pos: start });
      continue;
    }
    const two = source.slice(i, i + 2);
    if (TWO_CHAR.has(two)) {
      tokens.push({ type: 'op', text: two, pos: start });
      i += 2;
      continue;
    }
    const mapped = UNICODE_OPERATORS[c] ?? (ONE_CHAR.has(c) ? c : undefined);
    if (mapped === undefined) throw new ExpressionError(`unexpected character '${c}'`, start);
    tokens.push({ type: 'op', text: mapped, pos: start });
    i++;
  }
  tokens.push({ type: 'end', text: '', pos: source.length });
  return tokens;
}
