import { createHash } from 'node:crypto';
import { kpiValueKey, type KpiValuePayload, publishedContentHash, valueHash } from '@sozialmonitor/contracts';

/**
 * One publication of one value as it arrives (api.md: "every published change is kept with its time").
 * Its time is the payload's `computedAt` — the moment the producer published it — so that a replay of
 * the topic into an empty database rebuilds the same history with the same times, and `asOf` answers
 * stay reproducible.
 */
export interface HistoryEntry {
  /** Deterministic: the same message twice is the same entry. */
  readonly id: string;
  readonly key: string;
  readonly indicatorId: string;
  readonly regionCode: string;
  readonly period: string;
  /** RFC 3339 (UTC, as `toISOString`), sortable as text. */
  readonly publishedAt: string;
  readonly contentHash: string;
  readonly valueHash: string;
  readonly payload: KpiValuePayload;
}

/** A publication's identity: its value, its time and what it said. */
export const entryId = (key: string, publishedAt: string, contentHash: string): string =>
  createHash('sha256').update(`${key}\u0000${publishedAt}\u0000${contentHash}`).digest('base64url');

export function historyEntryOf(payload: KpiValuePayload): HistoryEntry {
  const key = kpiValueKey(payload);
  const content = publishedContentHash(payload);
  return {
    id: entryId(key, payload.computedAt, content),
    key,
    indicatorId: payload.indicatorId,
    regionCode: payload.region.code,
    period: payload.period,
    publishedAt: payload.computedAt,
    contentHash: content,
    valueHash: valueHash(payload),
    payload,
  };
}

/**
 * A hash as a 48-bit number (its first 8 base64url characters): what memory keeps of a publication's
 * content and value hashes. Two different contents of one value published at the same instant, or a
 * revision compared with a first figure, collide with a chance of 2^-48: none in practice, at an eighth
 * of the memory of the hash string.
 */
export function fingerprint(hash: string): number {
  let n = 0;
  for (let i = 0; i < 8; i++) {
    const c = hash.charCodeAt(i);
    const digit = c === 95 ? 63 : c === 45 ? 62 : c >= 97 ? c - 71 : c >= 65 ? c - 65 : c + 4; // _ - a-z A-Z 0-9
    n = n * 64 + digit;
  }
  return n;
}

/**
 * One publication as memory keeps it (`ValueTimeline` stores its fields in columns): what `asOf`,
 * `revised` and webhook thresholds need, without the payload, which stays in its publication log
 * document `n` and is read from there by an `asOf` that needs it.
 */
export interface Mark {
  /** `publishedAt` of the entry. */
  readonly at: string;
  /** `fingerprint(contentHash)`: with `at`, the publication's identity. */
  readonly content: number;
  /** `fingerprint(valueHash)`: `revised` compares it. */
  readonly value: number;
  /** The figure readers saw (null: none or suppressed): webhook thresholds compare it. */
  readonly figure: number | null;
  /**
   * Whether it says something about the value: a number or a suppression. A value published before
   * there was data for it (`no_data`, or a zero denominator while the lake was still empty or half
   * loaded) is not the publication a later figure corrects: `revised` compares with the first
   * publication that had a figure (api.md: "differs from its first publication (a correction arrived
   * later)"). A figure later withdrawn (null again) does count as revised.
   */
  readonly says: boolean;
  /** The publication log document that holds its payload. */
  readonly n: number;
}

/** The figure readers see: the value, or none when suppressed. */
export const figureOf = (p: KpiValuePayload): number | null => (p.suppressed ? null : p.value);

export function markOf(entry: HistoryEntry, n: number): Mark {
  const p = entry.payload;
  return {
    at: entry.publishedAt,
    content: fingerprint(entry.contentHash),
    value: fingerprint(entry.valueHash),
    figure: figureOf(p),
    says: p.value !== null || p.suppressed,
    n,
  };
}

/** Where a value stood at a moment: its latest publication then and what `revised` says of it. */
export interface Standing {
  readonly mark: Mark;
  /** The first publication this value is compared with for `revised`. */
  readonly firstPublishedAt: string;
  /** The value (or its suppression) differs from its first publication: a correction arrived later. */
  readonly revised: boolean;
  /** How many publications of the value there were by then. */
  readonly entries: number;
}

/** A value as readers see it at some moment: the latest publication and whether it was revised. */
export interface ValueState {
  readonly key: string;
  readonly indicatorId: string;
  readonly regionCode: string;
  readonly period: string;
  readonly payload: KpiValuePayload;
  readonly publishedAt: string;
  /** The first publication this value is compared with for `revised`. */
  readonly firstPublishedAt: string;
  /** The value (or its suppression) differs from its first publication: a correction arrived later. */
  readonly revised: boolean;
  /** The publications this state was derived from (grows with every publication). */
  readonly entries: number;
  readonly latestEntryId: string;
}

/** The state readers see from a standing, and the payload and entry id of its latest publication. */
export function stateOf(key: string, standing: Standing, payload: KpiValuePayload, latestEntryId: string): ValueState {
  return {
    key,
    indicatorId: payload.indicatorId,
    regionCode: payload.region.code,
    period: payload.period,
    payload,
    publishedAt: standing.mark.at,
    firstPublishedAt: standing.firstPublishedAt,
    revised: standing.revised,
    entries: standing.entries,
    latestEntryId,
  };
}

/** Whether readers would see a difference between two states of a value (value, comparison, revised, …). */
export function visiblyDifferent(before: ValueState | undefined, after: ValueState): boolean {
  return !before || publishedContentHash(before.payload) !== publishedContentHash(after.payload) || before.revised !== after.revised;
}
