import { Injectable } from '@nestjs/common';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

/** Bytes of one answer, made once: the body, its ETag and, on first demand, its compressed forms. */
export interface PreparedAnswer {
  readonly body: Buffer;
  readonly etag: string;
  readonly contentType: string;
  readonly cacheControl: string;
  /** Content-Encoding → compressed body, filled when a client first asks for that encoding. */
  readonly encoded: Map<Encoding, Buffer>;
}

export type Encoding = 'br' | 'gzip';

/** Answers smaller than this are sent as they are: compressing them saves less than it costs. */
export const COMPRESS_FROM_BYTES = 1024;

/**
 * The encoding to send for an `Accept-Encoding` header (RFC 9110 §12.5.3): br before gzip, q=0 refuses,
 * `*` stands for both; null for identity.
 */
export function chooseEncoding(header: string | undefined): Encoding | null {
  if (!header) return null;
  const q = new Map<string, number>();
  for (const part of header.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    const qv = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const value = qv ? Number(qv.slice(2)) : 1;
    q.set(name.trim(), Number.isFinite(value) ? value : 0);
  }
  const of = (e: Encoding) => q.get(e) ?? q.get('*') ?? 0;
  if (of('br') > 0 && of('br') >= of('gzip')) return 'br';
  if (of('gzip') > 0) return 'gzip';
  return null;
}

export function compress(body: Buffer, encoding: Encoding): Buffer {
  return encoding === 'br'
    ? brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 5, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } })
    : gzipSync(body, { level: 6 });
}

/**
 * Answers prepared for a key that names everything they depend on (the request and the version of the
 * values, see ValueReader.storedVersion): serving one again costs no read, no serialization, no hash and
 * no compression. Least recently used ones go first beyond `maxBytes`. Per process; a new version of the
 * values is a new key, so an entry is never stale, only unused.
 */
@Injectable()
export class PreparedAnswers {
  private readonly entries = new Map<string, PreparedAnswer>();
  private bytes = 0;

  constructor(private readonly maxBytes = 32 * 2 ** 20) {}

  get(key: string): PreparedAnswer | undefined {
    const found = this.entries.get(key);
    if (found) {
      // most recently used last
      this.entries.delete(key);
      this.entries.set(key, found);
    }
    return found;
  }

  set(key: string, answer: PreparedAnswer): void {
    this.drop(key);
    this.entries.set(key, answer);
    this.bytes += this.sizeOf(answer);
    for (const [k] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.drop(k);
    }
  }

  /** The body in `encoding`, compressed once and kept with the answer. */
  encodedBody(answer: PreparedAnswer, encoding: Encoding): Buffer {
    let body = answer.encoded.get(encoding);
    if (!body) {
      body = compress(answer.body, encoding);
      answer.encoded.set(encoding, body);
      this.bytes += body.length;
    }
    return body;
  }

  get size(): number {
    return this.entries.size;
  }

  private drop(key: string): void {
    const old = this.entries.get(key);
    if (!old) return;
    this.entries.delete(key);
    this.bytes -= this.sizeOf(old);
  }

  private sizeOf(a: PreparedAnswer): number {
    let n = a.body.length + a.etag.length + 64;
    for (const b of a.encoded.values()) n += b.length;
    return n;
  }
}
