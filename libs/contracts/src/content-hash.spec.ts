import { createHash } from 'node:crypto';
import { contentHash, contentHash48, publishedContentHash, stableJson, valueHash } from './content-hash';
import { kpiPayload } from '@sozialmonitor/testing/kpi-payload';
import type { KpiValuePayload } from './kpi-value';

const payload: KpiValuePayload = kpiPayload({ computedAt: '2026-11-25T10:00:00Z' });

// The formulas publication used before the hash moved here: its history entries (and their ids) carry
// these hashes, so the shared functions must give the same text for every payload.
const sha256 = (text: string) => createHash('sha256').update(text).digest('base64url');
function flatten(o: object, into: Record<string, true> = {}): Record<string, true> {
  for (const [k, v] of Object.entries(o)) {
    into[k] = true;
    if (v && typeof v === 'object') flatten(v, into);
  }
  return into;
}
const formerContentHash = (p: KpiValuePayload) => {
  const { computedAt: _ignored, ...content } = p;
  return sha256(JSON.stringify(content, Object.keys(flatten(content)).sort()));
};
const formerValueHash = (p: KpiValuePayload) => sha256(JSON.stringify([p.value, p.suppressed]));

describe('content hash', () => {
  it('ignores key order and undefined fields, sees every value', () => {
    expect(stableJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[1,{"x":1,"y":2}]},"b":1}',
    );
    expect(contentHash({ a: 1, b: 2 })).toBe(contentHash({ b: 2, a: 1, c: undefined }));
    expect(contentHash({ a: 1 })).not.toBe(contentHash({ a: '1' }));
    expect(contentHash48({ a: 1 })).toBe(contentHash48({ a: 1 }));
    expect(Number.isSafeInteger(contentHash48({ a: 1 }))).toBe(true);
  });

  it('gives the published-content and value hashes publication stored before', () => {
    const variants: KpiValuePayload[] = [
      payload,
      { ...payload, value: null, suppressed: true, reason: 'primary' },
      { ...payload, region: { code: '01056', level: 'county', name: 'Pinneberg' }, comparison: { state: null, germany: 1 } },
      { ...payload, value: 0, reason: undefined, comparison: { germany: 8.2, county: null, state: 7.9 } },
    ];
    for (const p of variants) {
      expect(publishedContentHash(p)).toBe(formerContentHash(p));
      expect(valueHash(p)).toBe(formerValueHash(p));
    }
  });

  it('leaves computedAt out of the published content, not the value', () => {
    expect(publishedContentHash({ ...payload, computedAt: '2027-01-01T00:00:00Z' })).toBe(publishedContentHash(payload));
    expect(publishedContentHash({ ...payload, value: 8.42 })).not.toBe(publishedContentHash(payload));
    expect(publishedContentHash({ ...payload, region: { ...payload.region, name: 'x' } })).not.toBe(
      publishedContentHash(payload),
    );
    expect(valueHash({ ...payload, period: '2024' } as KpiValuePayload)).toBe(valueHash(payload));
    expect(valueHash({ ...payload, suppressed: true })).not.toBe(valueHash(payload));
  });
});
