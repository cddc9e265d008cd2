/**
 * What the body readers produce: one item per record of the delivery, in order — either the record's
 * raw fields or why the record could not even be parsed (then it counts as received and rejected).
 * Problems name rules, never content: parser messages (which quote the data) are never passed on.
 */
export interface BodyProblem {
  field: string;
  rule: 'syntax' | 'type' | 'column_count' | 'size' | 'encoding';
  message: string;
}

export interface BodyItem {
  raw?: Record<string, unknown>;
  /** 1-based line where the record starts (header included), where the format has lines. */
  line?: number;
  problem?: BodyProblem;
}

/** Field name used for problems that concern the record as a whole. */
export const WHOLE_RECORD = '(record)';

/** Largest single record (a JSON element, an NDJSON line, a CSV row) in bytes. */
export const MAX_RECORD_BYTES = 1024 * 1024;

/**
 * The body cannot be read (any more): wrong syntax at the top level, no CSV header, a broken gzip
 * stream. Carries the status to answer with and, where known, the line. Never a content excerpt.
 */
export class UnreadableBodyError extends Error {
  override readonly name = 'UnreadableBodyError';
  constructor(
    message: string,
    readonly status: 400 | 415 = 400,
    readonly line?: number,
  ) {
    super(message);
  }
}

/** The body is larger than the configured limit (answer 413). */
export class BodyTooLargeError extends Error {
  override readonly name: string = 'BodyTooLargeError';
  constructor(readonly limitBytes: number) {
    super(`the body is larger than the limit of ${limitBytes} bytes`);
  }
}

export const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** A gzip body expands beyond the allowed ratio to its compressed size (a decompression bomb): 413. */
export class ExpansionTooLargeError extends BodyTooLargeError {
  override readonly name = 'ExpansionTooLargeError';
  constructor(readonly ratio: number) {
    super(0);
    this.message = `the gzip body expands more than ${ratio} times its compressed size`;
  }
}

/** The sender stopped sending before the body was complete. */
export class BodyAbortedError extends Error {
  override readonly name = 'BodyAbortedError';
  constructor() {
    super('the body ended before it was complete (connection closed)');
  }
}
