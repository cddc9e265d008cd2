/** A CSV cell: numbers with a decimal point, booleans as true/false, null as an empty cell. */
export type Cell = string | number | boolean | null | undefined;

/** A text a spreadsheet would run as a formula (CSV injection): = + - @, or a tab or CR before them. */
const FORMULA_START = /^[=+\-@\t\r]/;
/** A plain number (-3.5, +1e3): data, not a formula, and left as it is. */
const PLAIN_NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Text cells starting like a formula get a leading apostrophe (OWASP "CSV Injection"): a spreadsheet
 * shows the text instead of running it. Numbers — also negative ones, and texts that are plain numbers —
 * stay as they are.
 */
export function neutralised(text: string): string {
  return FORMULA_START.test(text) && !PLAIN_NUMBER.test(text) ? `'${text}` : text;
}

function cell(v: Cell): string {
  if (v === null || v === undefined) return '';
  const text = typeof v === 'string' ? neutralised(v) : String(v);
  return /[",\r\n]/.test(text) || /^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** RFC 4180: comma-separated, CRLF line ends, a header line, quotes where needed. */
export function toCsv(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  return [header, ...rows].map((row) => row.map(cell).join(',')).join('\r\n') + '\r\n';
}
