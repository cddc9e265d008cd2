import { SOURCES, sourceDeclaration } from '@sozialmonitor/contracts';
import { SAMPLE_RECORDS, csvCell } from '@sozialmonitor/contracts/sources/sample-records';
import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';

export const keyRing = (id: string) => `${id}:${randomBytes(32).toString('base64')}`;
export const token = () => randomBytes(24).toString('base64url');

/** A MongoDB URL with its own database, so that test files do not see each other's data. */
export function isolatedMongoUrl(base: string, name: string): string {
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

export type Format = 'json' | 'ndjson' | 'csv';
export const CONTENT_TYPES: Record<Format, string> = {
  json: 'application/json',
  ndjson: 'application/x-ndjson',
  csv: 'text/csv',
};

/** A delivery body in one of the formats; CSV columns follow the source's declaration. */
export function bodyOf(source: string, records: Record<string, unknown>[], format: Format): Buffer {
  if (format === 'json') return Buffer.from(JSON.stringify(records, null, 1));
  if (format === 'ndjson') return Buffer.from(records.map((r) => JSON.stringify(r)).join('\n') + '\n');
  const names = sourceDeclaration(source)!.fields.map((f) => f.name);
  const extra = [...new Set(records.flatMap((r) => Object.keys(r)))].filter((k) => !names.includes(k));
  const header = [...names, ...extra];
  const rows = records.map((r) => header.map((h) => csvCell(r[h])).join(','));
  return Buffer.from([header.join(','), ...rows].join('\r\n') + '\r\n');
}

export async function post(
  url: string,
  body: Buffer,
  headers: Record<string, string>,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(url, { method: 'POST', body, headers });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : {} };
}

export const gzip = (b: Buffer) => gzipSync(b);

/** A valid record of each source with a unique recordId. */
export function sampleOf(
  source: string,
  recordId: string,
  patch: Record<string, unknown> = {},
): Record<string, unknown> {
  return { ...SAMPLE_RECORDS[source], recordId, ...patch };
}

export const SOURCE_NAMES_IN_ORDER = SOURCES.map((s) => s.name);
