import { createHash } from 'node:crypto';

/** JSON with object keys sorted at every level: equal content, equal text, whatever the key order. */
export function stableJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
}

/** SHA-256 (base64url) of the stable JSON of a value: "did the content change?" without comparing it. */
export function contentHash(value: unknown): string {
  return createHash('sha256').update(stableJson(value), 'utf8').digest('base64url');
}

/** A 48-bit number from the content hash: compact enough to keep one per lake record in memory. */
export function contentHash48(value: unknown): number {
  return createHash('sha256').update(stableJson(value), 'utf8').digest().readUIntBE(0, 6);
}
