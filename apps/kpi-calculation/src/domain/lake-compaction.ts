/**
 * The lake log's retention (issue 11, hole 10; docs/security.md "Retention"): of every record only its
 * latest version is ever used — loading keeps the highest offset of a key, and an on-demand Stichtag
 * is computed from the record's own validity dates, not from older versions — so superseded versions
 * are dropped. A retracted record keeps its deletion entry (pseudonym, no content) so that an older
 * copy written again after a rebalance cannot bring it back.
 *
 * Keeps, of entries of one partition, the one with the highest offset per key, in offset order.
 */
export function latestPerKey<E>(entries: Iterable<E>, keyOf: (e: E) => string, offsetOf: (e: E) => number): E[] {
  const latest = new Map<string, E>();
  for (const e of entries) {
    const held = latest.get(keyOf(e));
    if (held === undefined || offsetOf(e) > offsetOf(held)) latest.set(keyOf(e), e);
  }
  return [...latest.values()].sort((a, b) => offsetOf(a) - offsetOf(b));
}
