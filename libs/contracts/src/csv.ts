/** A CSV cell: numbers with a decimal point, booleans as true/false, null as an empty cell. */
export type Cell = string | number | boolean | null | undefined;

/** A text a spreadsheet would run as a formula (CSV injection): = + - @, or a tab or CR before them. */
const FORMULA_START = /^[=+\-@\t\r]/;
/** A plain number (-3.5, +1e3), also as text: data, not a formula, and left as it is. */
const PLAIN_NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/**
 * A text cell that a spreadsheet would read as a formula gets a leading `'` (OWASP "CSV injection"):
 * the spreadsheet shows the text instead of running it. Numbers — also negative ones, and texts that are
 * plain numbers — stay as they are. Every CSV the system writes goes through here (publication's answers
 * and downloads, the analysis exports).
 */
export function neutralizeFormula(text: string): string {
  return FORMULA_START.test(text) && !PLAIN_NUMBER.test(text) ? `'${text}` : text;
}

function cell(v: Cell): string {
  if (v === null || v === undefined) return '';
  const text = typeof v === 'string' ? neutralizeFormula(v) : String(v);
  return /[",\r\n]/.test(text) || /^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** RFC 4180: comma-separated, CRLF line ends, a header line, quotes where needed. */
export function toCsv(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  return [header, ...rows].map((row) => row.map(cell).join(',')).join('\r\n') + '\r\n';
}

/** A column of an analysis export: its name, type (as Parquet, pandas and R see it), unit and meaning. */
export interface ExportColumn {
  readonly name: string;
  readonly type: 'string' | 'number' | 'boolean';
  readonly unit?: string;
  readonly description: string;
}

/** One table of an analysis export: columns and rows (row cells in column order). */
export interface ExportTable {
  readonly columns: readonly ExportColumn[];
  readonly rows: readonly (readonly Cell[])[];
}
