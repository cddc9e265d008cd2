import type { Readable } from 'node:stream';
import { isUtf8 } from 'node:buffer';
import { isPlainObject, MAX_RECORD_BYTES, UnreadableBodyError, WHOLE_RECORD, type BodyItem } from './body-item';

const enum State {
  Start,
  BeforeFirst,
  BeforeElement,
  InElement,
  AfterElement,
  Done,
}

const isSpace = (c: number) => c === 32 || c === 10 || c === 13 || c === 9;

/**
 * A JSON array of objects, streamed: a small scanner finds the top-level elements (tracking strings
 * and nesting) and parses each on its own, so memory is bounded by the largest element, not the
 * body. An element that is not valid JSON or not an object is rejected on its own; a body that is not
 * an array, or whose array structure breaks, cannot be read (400).
 */
export async function* readJsonArray(stream: Readable): AsyncGenerator<BodyItem> {
  let state = State.Start;
  let line = 1;
  let depth = 0;
  let inString = false;
  let escape = false;
  let scalar = false;
  let parts: Buffer[] = [];
  let bytes = 0;
  let oversize = false;
  let elementLine = 1;
  let first = true;

  const finish = (): BodyItem => {
    const item: BodyItem = { line: elementLine };
    if (oversize) {
      item.problem = { field: WHOLE_RECORD, rule: 'size', message: `is larger than ${MAX_RECORD_BYTES} bytes` };
    } else {
      const text = parts.length === 1 ? parts[0] : Buffer.concat(parts);
      let value: unknown;
      if (!isUtf8(text)) item.problem = { field: WHOLE_RECORD, rule: 'encoding', message: 'is not valid UTF-8' };
      else {
        try {
          value = JSON.parse(text.toString('utf8'));
          if (isPlainObject(value)) item.raw = value;
          else item.problem = { field: WHOLE_RECORD, rule: 'type', message: 'must be a JSON object' };
        } catch {
          item.problem = { field: WHOLE_RECORD, rule: 'syntax', message: 'is not valid JSON' };
        }
      }
    }
    parts = [];
    bytes = 0;
    oversize = false;
    return item;
  };
  const keep = (chunk: Buffer, from: number, to: number) => {
    if (oversize || to <= from) return;
    if (bytes + (to - from) > MAX_RECORD_BYTES) {
      oversize = true;
      parts = [];
      return;
    }
    parts.push(chunk.subarray(from, to));
    bytes += to - from;
  };

  for await (const chunk of stream as AsyncIterable<Buffer>) {
    let segment = state === State.InElement ? 0 : -1;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i];
      switch (state) {
        case State.Start:
          if (first && c === 0xef && chunk[i + 1] === 0xbb && chunk[i + 2] === 0xbf) {
            i += 2;
          } else if (c === 0x5b /* [ */) state = State.BeforeFirst;
          else if (!isSpace(c)) throw new UnreadableBodyError('the body is not a JSON array');
          first = false;
          break;
        case State.BeforeFirst:
        case State.BeforeElement:
          if (isSpace(c)) break;
          if (c === 0x5d /* ] */ && state === State.BeforeFirst) {
            state = State.Done;
            break;
          }
          if (c === 0x5d || c === 0x2c)
            throw new UnreadableBodyError(`the JSON array is malformed at line ${line}`, 400, line);
          state = State.InElement;
          elementLine = line;
          depth = 0;
          inString = false;
          escape = false;
          scalar = c !== 0x7b && c !== 0x5b;
          segment = i;
          i--; // scan this character as part of the element
          break;
        case State.InElement:
          if (inString) {
            if (escape) escape = false;
            else if (c === 0x5c) escape = true;
            else if (c === 0x22) inString = false;
          } else if (c === 0x22) inString = true;
          else if (c === 0x7b || c === 0x5b) depth++;
          else if (c === 0x7d || c === 0x5d) {
            if (depth === 0) {
              // `]` closing the array right after a scalar element
              keep(chunk, segment, i);
              segment = -1;
              yield finish();
              state = c === 0x5d ? State.Done : State.AfterElement;
              if (c !== 0x5d) throw new UnreadableBodyError(`the JSON array is malformed at line ${line}`, 400, line);
              break;
            }
            depth--;
            if (depth === 0 && !scalar) {
              keep(chunk, segment, i + 1);
              segment = -1;
              yield finish();
              state = State.AfterElement;
            }
          } else if (c === 0x2c && depth === 0) {
            keep(chunk, segment, i);
            segment = -1;
            yield finish();
            state = State.BeforeElement;
          }
          break;
        case State.AfterElement:
          if (isSpace(c)) break;
          if (c === 0x2c) state = State.BeforeElement;
          else if (c === 0x5d) state = State.Done;
          else throw new UnreadableBodyError(`the JSON array is malformed at line ${line}: expected , or ]`, 400, line);
          break;
        case State.Done:
          if (!isSpace(c))
            throw new UnreadableBodyError(
              `unexpected content after the end of the JSON array at line ${line}`,
              400,
              line,
            );
          break;
      }
      if (c === 10) line++;
    }
    if ((state as State) === State.InElement && segment >= 0) keep(chunk, segment, chunk.length);
  }
  const end = state as State; // (assigned inside the loop; TypeScript's narrowing does not see it)
  if (end === State.Start) throw new UnreadableBodyError('the body is empty: expected a JSON array');
  if (end !== State.Done) throw new UnreadableBodyError('the JSON array is not closed', 400, line);
}
