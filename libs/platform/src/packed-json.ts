import { gunzipSync, gzipSync } from 'node:zlib';
import { mongo } from 'mongoose';

/**
 * Many small items are stored as one gzip-compressed JSON binary per document. FerretDB v1 (SQLite)
 * encodes every field of a nested document with type metadata and reads a binary field two orders of
 * magnitude faster than the same items as nested documents (measured: 100 000 lake records in ≈1 s
 * instead of ≈60 s), and MongoDB stores it just as well.
 */
export function pack(items: unknown): mongo.Binary {
  return new mongo.Binary(gzipSync(Buffer.from(JSON.stringify(items), 'utf8'), { level: 1 }));
}

export function unpack<T>(data: mongo.Binary | Buffer): T {
  const bytes = data instanceof mongo.Binary ? Buffer.from(data.buffer) : data;
  return JSON.parse(gunzipSync(bytes).toString('utf8')) as T;
}
