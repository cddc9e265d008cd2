import { createHash } from 'node:crypto';
import type { KpiValuePayload } from './kpi-value';

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

/**
 * Hash of what readers see of a KPI value (`computedAt` excluded): equal hashes mean nothing changed.
 * The one published-content hash: kpi-calculation decides with it whether to publish again, publication
 * keeps it in every history entry (and in the entry's id), so its text must never change.
 */
export function publishedContentHash(p: KpiValuePayload): string {
  const { computedAt: _ignored, ...content } = p;
  return contentHash(content);
}

/** Hash of the value itself (value and suppression): what `revised` compares with the first publication. */
export function valueHash(p: Pick<KpiValuePayload, 'value' | 'suppressed'>): string {
  return contentHash([p.value, p.suppressed]);
}
