import { parse, type CsvError, type Options } from 'csv-parse';
import { isUtf8 } from 'node:buffer';
import { pipeline, type Readable } from 'node:stream';
import { MAX_RECORD_BYTES, UnreadableBodyError, WHOLE_RECORD, type BodyItem } from './body-item';

interface ParsedRow {
  /** Raw bytes (csv-parse with `encoding: null`): decoded only once they are known to be UTF-8. */
  fields: (Buffer | string)[];
  /** Line where the row ends (csv-parse counts lines as it goes). */
  endLine: number;
  /** Rows csv-parse skipped because of an error just before this one. */
  skippedBefore?: number[];
}

/** Header names must be unique; `recordId` must be one of them (otherwise there is no header). */
function checkHeader(header: string[]): void {
  if (!header.includes('recordId')) {
    throw new UnreadableBodyError('CSV without header: the first line must name the fields (with recordId)', 400, 1);
  }
  const seen = new Set<string>();
  for (const name of header) {
    if (seen.has(name)) throw new UnreadableBodyError('the CSV header names a field twice', 400, 1);
    seen.add(name);
  }
}

/** The row's cells as text, or undefined when one is not valid UTF-8 (it would become U+FFFD silently). */
function decodeRow(fields: readonly (Buffer | string)[]): string[] | undefined {
  const out: string[] = [];
  for (const f of fields) {
    if (typeof f === 'string') out.push(f); // a stream of strings was decoded before
    else if (!isUtf8(f)) return undefined;
    else out.push(f.toString('utf8'));
  }
  return out;
}

/**
 * A record of the named cells. Defined, not assigned: a column named `__proto__` must become a field
 * of that name (and be rejected as unknown), not set the object's prototype and vanish.
 */
function recordOf(header: readonly string[], cells: readonly string[]): Record<string, unknown> {
  const raw: Record<string, unknown> = {};
  for (let i = 0; i < header.length; i++)
    Object.defineProperty(raw, header[i], { value: cells[i], enumerable: true, writable: true, configurable: true });
  return raw;
}

function countNewlines(fields: string[]): number {
  let n = 0;
  for (const f of fields) {
    if (f.length === 0 || f.indexOf('\n') < 0) continue;
    for (let i = f.indexOf('\n'); i >= 0; i = f.indexOf('\n', i + 1)) n++;
  }
  return n;
}

const FATAL: Partial<Record<string, string>> = {
  CSV_QUOTE_NOT_CLOSED: 'a quoted CSV field is not closed',
};

/**
 * CSV (RFC 4180, comma, header row, UTF-8, BOM ignored) via csv-parse, streamed. A row with the wrong
 * number of cells or a broken quote is rejected on its own; csv-parse's messages quote the data, so
 * only fixed texts leave this reader. A missing header or an unclosed quote at the end makes the body
 * unreadable (400).
 */
export async function* readCsv(stream: Readable): AsyncGenerator<BodyItem> {
  const skipped: number[] = [];
  let fatal: CsvError | undefined;
  // `on_skip` exists in csv-parse 5 but is missing from its type definitions, and so does `encoding: null`.
  const options: Omit<Options, 'encoding'> & { encoding: null; on_skip: (err: CsvError | undefined) => void } = {
    bom: true,
    encoding: null, // bytes: invalid UTF-8 is rejected per row (rule `encoding`), never replaced
    delimiter: ',',
    // RFC 4180 says CRLF; LF-only files are common, and some tools mix them.
    record_delimiter: ['\r\n', '\n'],
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    max_record_size: MAX_RECORD_BYTES,
    on_skip: (err: CsvError | undefined) => {
      if (err && FATAL[err.code]) {
        fatal ??= err; // the rest of the body is swallowed by the open quote: reported at the end
        return;
      }
      skipped.push(typeof err?.lines === 'number' ? err.lines : 0);
    },
    on_record: (fields: (Buffer | string)[], context: { lines: number }): ParsedRow => {
      const row: ParsedRow = { fields, endLine: context.lines };
      if (skipped.length > 0) row.skippedBefore = skipped.splice(0);
      return row;
    },
  };
  const parser = parse(options as unknown as Options);
  let failure: Error | undefined;
  pipeline(stream, parser, (err) => {
    if (err) failure = err;
  });

  let header: string[] | undefined;
  const skippedItem = (line: number): BodyItem => ({
    line: line || undefined,
    problem: { field: WHOLE_RECORD, rule: 'syntax', message: 'is not a valid CSV row (quotes or record size)' },
  });
  try {
    for await (const row of parser as AsyncIterable<ParsedRow>) {
      if (row.skippedBefore) for (const l of row.skippedBefore) yield skippedItem(l);
      const cells = decodeRow(row.fields);
      if (!header) {
        if (!cells) throw new UnreadableBodyError('the CSV header is not valid UTF-8', 400, 1);
        checkHeader(cells);
        header = cells;
        continue;
      }
      if (!cells) {
        yield {
          line: row.endLine - countNewlines(row.fields.map((f) => f.toString('latin1'))),
          problem: { field: WHOLE_RECORD, rule: 'encoding', message: 'is not valid UTF-8' },
        };
        continue;
      }
      const line = row.endLine - countNewlines(cells);
      if (cells.length !== header.length) {
        yield {
          line,
          problem: {
            field: WHOLE_RECORD,
            rule: 'column_count',
            message: `must have ${header.length} cells like the header`,
          },
        };
        continue;
      }
      yield { raw: recordOf(header, cells), line };
    }
  } catch (e) {
    throw translate(e, failure);
  }
  if (failure) throw translate(failure, failure);
  for (const l of skipped.splice(0)) yield skippedItem(l);
  if (fatal) throw translate(fatal, fatal);
  if (!header) throw new UnreadableBodyError('CSV without header: the body is empty', 400);
}

function translate(e: unknown, failure: Error | undefined): unknown {
  const error = failure ?? e;
  if (error instanceof UnreadableBodyError) return error;
  const code = (error as CsvError)?.code;
  if (typeof code === 'string' && code.startsWith('CSV_')) {
    return new UnreadableBodyError(FATAL[code] ?? 'the body is not readable as CSV', 400, (error as CsvError).lines);
  }
  return error; // BodyTooLargeError, gzip errors, aborted requests: the caller maps them
}
