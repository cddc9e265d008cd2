import { createHash } from 'node:crypto';

/** A strong ETag from the exact bytes of a representation (JSON and CSV differ, so do their tags). */
export function etagOf(body: string, contentType: string): string {
  return `"${createHash('sha256').update(contentType).update('\u0000').update(body).digest('base64url').slice(0, 32)}"`;
}

/** `If-None-Match` (RFC 9110 §13.1.2): weak comparison, a list of tags or `*`. */
export function matchesIfNoneMatch(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  const bare = (t: string) => t.trim().replace(/^W\//, '');
  return header.split(',').some((t) => bare(t) === bare(etag));
}

/**
 * Picks the representation for an `Accept` header among the offered media types (q-values and
 * wildcards honoured; ties go to the more specific range, then to the first offer). Null when none is acceptable.
 */
export function negotiate<T extends string>(accept: string | undefined, offers: readonly T[]): T | null {
  if (!accept || accept.trim() === '') return offers[0];
  const ranges = accept.split(',').map((part, order) => {
    const [range, ...params] = part
      .trim()
      .split(';')
      .map((s) => s.trim());
    const q = params.find((p) => /^q=/i.test(p));
    const quality = q ? Number(q.slice(2)) : 1;
    return { range: range.toLowerCase(), q: Number.isFinite(quality) ? quality : 0, order };
  });
  let best: { offer: T; q: number; specificity: number; index: number } | null = null;
  offers.forEach((offer, index) => {
    const [type] = offer.split('/');
    let match: { q: number; specificity: number } | null = null;
    for (const r of ranges) {
      const specificity = r.range === offer ? 2 : r.range === `${type}/*` ? 1 : r.range === '*/*' ? 0 : -1;
      if (specificity >= 0 && (!match || specificity > match.specificity)) match = { q: r.q, specificity };
    }
    const better =
      match &&
      match.q > 0 &&
      (!best || match.q > best.q || (match.q === best.q && match.specificity > best.specificity));
    if (match && better) best = { offer, q: match.q, specificity: match.specificity, index };
  });
  return best ? (best as { offer: T }).offer : null;
}
