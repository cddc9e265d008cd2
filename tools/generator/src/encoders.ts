import type { FieldValue, SourceRecord } from './sources';

/**
 * Text encodings of a delivery: CSV (header row, comma, RFC 4180 quoting, empty cell = null, LF line
 * ends), NDJSON (one object a line) and a JSON array (one object a line, so it streams and diffs).
 */
export type Format = 'csv' | 'ndjson' | 'json';
export const FORMATS: readonly Format[] = ['csv', 'ndjson', 'json'];

export interface Encoder {
  /** Text before the first record. */
  readonly head: string;
  /** Text of one record (with its separator). */
  record(record: SourceRecord, index: number): string;
  /** Text after the last record. */
  tail(count: number): string;
}

export function csvCell(value: FieldValue | undefined): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'string' ? value : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function encoder(format: Format, fields: readonly string[]): Encoder {
  switch (format) {
    case 'csv':
      return {
        head: `${fields.join(',')}\n`,
        record: (r) => `${fields.map((f) => csvCell(r[f])).join(',')}\n`,
        tail: () => '',
      };
    case 'ndjson':
      return { head: '', record: (r) => `${JSON.stringify(r)}\n`, tail: () => '' };
    case 'json':
      return {
        head: '[',
        record: (r, i) => `${i === 0 ? '\n' : ',\n'}${JSON.stringify(r)}`,
        tail: (count) => (count === 0 ? ']\n' : '\n]\n'),
      };
  }
}
