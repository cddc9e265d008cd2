import { Transform, pipeline, type Readable, type TransformCallback } from 'node:stream';
import { createGunzip } from 'node:zlib';
import {
  BodyAbortedError,
  BodyTooLargeError,
  ExpansionTooLargeError,
  UnreadableBodyError,
  type BodyItem,
} from './body-item';
import { readCsv } from './csv-reader';
import { readJsonArray } from './json-array-reader';
import { readNdjson } from './ndjson-reader';

export type BodyFormat = 'json' | 'ndjson' | 'csv';

/** A Map, not an object literal: `Content-Type: constructor` must not find Object.prototype's. */
const MEDIA_TYPES: ReadonlyMap<string, BodyFormat> = new Map([
  ['application/json', 'json'],
  ['application/x-ndjson', 'ndjson'],
  ['application/ndjson', 'ndjson'],
  ['text/csv', 'csv'],
]);
export const ACCEPTED_MEDIA_TYPES = ['application/json', 'application/x-ndjson', 'text/csv'] as const;

/** The format of a Content-Type header; 415 for anything else (or a charset other than UTF-8). */
export function formatOfContentType(contentType: string | undefined): BodyFormat {
  const [type, ...params] = (contentType ?? '').split(';').map((s) => s.trim().toLowerCase());
  const format = MEDIA_TYPES.get(type);
  if (!format) {
    throw new UnreadableBodyError(`unsupported content type: send ${ACCEPTED_MEDIA_TYPES.join(', ')}`, 415);
  }
  for (const p of params) {
    const [k, v] = p.split('=').map((s) => s.trim().replace(/^"|"$/g, ''));
    if (k === 'charset' && v !== 'utf-8' && v !== 'utf8')
      throw new UnreadableBodyError('unsupported charset: send UTF-8', 415);
  }
  return format;
}

/** Whether the body is gzip-compressed (Content-Encoding); 415 for encodings other than gzip/identity. */
export function isGzipEncoding(contentEncoding: string | undefined): boolean {
  const e = (contentEncoding ?? '').trim().toLowerCase();
  if (e === '' || e === 'identity') return false;
  if (e === 'gzip' || e === 'x-gzip') return true;
  throw new UnreadableBodyError('unsupported content encoding: send gzip or none', 415);
}

/** The format of a drop-folder file name (`<source>__<anything>.csv|.ndjson|.json`, optionally `.gz`). */
export function formatOfFileName(name: string): { format: BodyFormat; gzip: boolean } | undefined {
  const m = /\.(csv|ndjson|jsonl|json)(\.gz)?$/i.exec(name);
  if (!m) return undefined;
  const ext = m[1].toLowerCase();
  return { format: ext === 'csv' ? 'csv' : ext === 'json' ? 'json' : 'ndjson', gzip: m[2] !== undefined };
}

/** Passes bytes through and fails with BodyTooLargeError once more than `limit` bytes went through. */
export class ByteLimit extends Transform {
  private seen = 0;
  constructor(private readonly limit: number) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.seen += chunk.length;
    if (this.seen > this.limit) return done(new BodyTooLargeError(this.limit));
    done(null, chunk);
  }
  get bytes(): number {
    return this.seen;
  }
}

/** Below this many decompressed bytes the ratio is not checked (a tiny body may compress very well). */
const RATIO_FREE_BYTES = 1024 * 1024;

/** Fails with ExpansionTooLargeError once the output exceeds `ratio` times the compressed input so far. */
class ExpansionLimit extends Transform {
  private seen = 0;
  constructor(
    private readonly ratio: number,
    private readonly compressedBytes: () => number,
  ) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.seen += chunk.length;
    if (this.seen > RATIO_FREE_BYTES && this.seen > this.ratio * this.compressedBytes())
      return done(new ExpansionTooLargeError(this.ratio));
    done(null, chunk);
  }
}

export interface DeliveryBody {
  items: AsyncGenerator<BodyItem>;
  /** Bytes received so far (before decompression). */
  receivedBytes(): number;
}

/**
 * The records of a delivery body: limits the received bytes and, for gzip, the decompressed bytes
 * (a small gzip body must not expand without bound), decompresses, and hands the stream to the
 * format's reader. Nothing is buffered beyond one record.
 */
export function openDelivery(
  body: Readable,
  options: {
    format: BodyFormat;
    gzip: boolean;
    /** Largest body as received. */
    limitBytes: number;
    /** Largest body after gzip decompression (default: limitBytes). */
    decompressedLimitBytes?: number;
    /** Largest decompressed/compressed ratio of a gzip body (default: unbounded). */
    maxExpansionRatio?: number;
    /** Aborted when the client went away: the work stops (BodyAbortedError) even after the body arrived. */
    signal?: AbortSignal;
  },
): DeliveryBody {
  const received = new ByteLimit(options.limitBytes);
  // `pipe`, not `pipeline`, for the first hop: a failure downstream must not destroy an HTTP request
  // (that would reset the connection before the 4xx answer goes out); the source is only unpiped.
  body.on('error', (e) => received.destroy(e));
  body.on('close', () => {
    if (!body.readableEnded) received.destroy(new BodyAbortedError());
  });
  body.pipe(received);
  let stream: Readable = received;
  if (options.gzip) {
    stream = pipeline(
      received,
      createGunzip(),
      new ByteLimit(options.decompressedLimitBytes ?? options.limitBytes),
      new ExpansionLimit(options.maxExpansionRatio ?? Infinity, () => received.bytes),
      () => undefined,
    ) as unknown as Readable;
  }
  const abort = () => stream.destroy(new BodyAbortedError());
  if (options.signal?.aborted) abort();
  else options.signal?.addEventListener('abort', abort, { once: true });
  const reader = options.format === 'csv' ? readCsv : options.format === 'ndjson' ? readNdjson : readJsonArray;
  return { items: mapErrors(reader(stream), options.signal), receivedBytes: () => received.bytes };
}

async function* mapErrors(items: AsyncGenerator<BodyItem>, signal?: AbortSignal): AsyncGenerator<BodyItem> {
  try {
    for await (const item of items) {
      // records already parsed and buffered are not worked on for a client that is gone
      if (signal?.aborted) throw new BodyAbortedError();
      yield item;
    }
  } catch (e) {
    const code = (e as NodeJS.ErrnoException)?.code;
    if (typeof code === 'string' && code.startsWith('Z_'))
      throw new UnreadableBodyError('the body is not valid gzip', 400);
    throw e;
  }
}
