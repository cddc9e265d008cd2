import type { Readable } from 'node:stream';
import { isUtf8 } from 'node:buffer';
import { isPlainObject, MAX_RECORD_BYTES, UnreadableBodyError, WHOLE_RECORD, type BodyItem } from './body-item';

/**
 * NDJSON: one JSON object a line. Empty lines are skipped (but counted for line numbers). A line that
 * is not a JSON object is rejected on its own — except the first non-empty line: if that is not a
 * JSON object the body is not NDJSON at all (400, nothing published).
 */
export async function* readNdjson(stream: Readable): AsyncGenerator<BodyItem> {
  let carry: Buffer[] = [];
  let carryBytes = 0;
  let oversize = false;
  let line = 0;
  let seenRecord = false;

  const handle = (bytes: Buffer | null): BodyItem | null => {
    line++;
    if (bytes === null) {
      seenRecord = true;
      return {
        line,
        problem: { field: WHOLE_RECORD, rule: 'size', message: `is larger than ${MAX_RECORD_BYTES} bytes` },
      };
    }
    let end = bytes.length;
    if (end > 0 && bytes[end - 1] === 13) end--; // CRLF
    let start = 0;
    if (line === 1 && end >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) start = 3; // BOM
    while (start < end && (bytes[start] === 32 || bytes[start] === 9)) start++;
    if (start === end) return null;
    const text = bytes.subarray(start, end);
    const first = !seenRecord;
    seenRecord = true;
    if (!isUtf8(text)) {
      if (first) throw new UnreadableBodyError(`the body is not NDJSON: line ${line} is not UTF-8`, 400, line);
      return { line, problem: { field: WHOLE_RECORD, rule: 'encoding', message: 'is not valid UTF-8' } };
    }
    let value: unknown;
    try {
      value = JSON.parse(text.toString('utf8'));
    } catch {
      if (first) throw new UnreadableBodyError(`the body is not NDJSON: line ${line} is not JSON`, 400, line);
      return { line, problem: { field: WHOLE_RECORD, rule: 'syntax', message: 'is not valid JSON' } };
    }
    if (!isPlainObject(value)) {
      if (first) throw new UnreadableBodyError(`the body is not NDJSON: line ${line} is not a JSON object`, 400, line);
      return { line, problem: { field: WHOLE_RECORD, rule: 'type', message: 'must be a JSON object' } };
    }
    return { raw: value, line };
  };

  for await (const chunk of stream as AsyncIterable<Buffer>) {
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(10, start);
      const piece = nl < 0 ? chunk.subarray(start) : chunk.subarray(start, nl);
      if (!oversize && carryBytes + piece.length > MAX_RECORD_BYTES) {
        oversize = true;
        carry = [];
        carryBytes = 0;
      }
      if (nl < 0) {
        if (!oversize && piece.length > 0) {
          carry.push(piece);
          carryBytes += piece.length;
        }
        break;
      }
      start = nl + 1;
      let item: BodyItem | null;
      if (oversize) item = handle(null);
      else item = handle(carry.length === 0 ? piece : Buffer.concat([...carry, piece]));
      carry = [];
      carryBytes = 0;
      oversize = false;
      if (item) yield item;
    }
  }
  if (oversize || carryBytes > 0) {
    const item = handle(oversize ? null : Buffer.concat(carry));
    if (item) yield item;
  }
  if (!seenRecord) throw new UnreadableBodyError('the body is empty: expected NDJSON, one JSON object a line');
}
