import { createHash } from 'node:crypto';
import { kpiValueKey, type KpiValuePayload, publishedContentHash, valueHash } from '@sozialmonitor/contracts';
import { countyDate } from './calendar';

/**
 * One publication of one value: the read model keeps every one of them (api.md: "every published change
 * is kept with its time"). Its time is the payload's `computedAt` — the moment the producer published
 * it — so that a replay of the topic into an empty database rebuilds the same history with the same
 * times, and `asOf` answers stay reproducible.
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

export function historyEntryOf(payload: KpiValuePayload): HistoryEntry {
  const key = kpiValueKey(payload);
  const content = publishedContentHash(payload);
  return {
    id: createHash('sha256').update(`${key}\u0000${payload.computedAt}\u0000${content}`).digest('base64url'),
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
  /** The history entries this state was derived from (grows with every publication). */
  readonly entries: number;
  readonly latestEntryId: string;
}

const byTime = (a: HistoryEntry, b: HistoryEntry) =>
  a.publishedAt < b.publishedAt ? -1 : a.publishedAt > b.publishedAt ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;

/**
 * The entries that count as "the same value" for `revised`: a year period is one value for ever; the
 * current value is refreshed every day, so a new day's value is a new value, not a correction — its
 * first publication is the first one of that day (county time).
 */
function sameValueAs(latest: HistoryEntry): (e: HistoryEntry) => boolean {
  if (latest.period !== 'current') return () => true;
  const day = countyDate(new Date(latest.publishedAt));
  return (e) => countyDate(new Date(e.publishedAt)) === day;
}

/**
 * Whether a publication says something about the value: a number or a suppression. A value published
 * before there was data for it (`no_data`, or a zero denominator while the lake was still empty or
 * half loaded) is not the publication a later figure corrects: `revised` compares with the first
 * publication that had a figure (api.md: "differs from its first publication (a correction arrived
 * later)"). A figure later withdrawn (null again) does count as revised.
 */
const hasFigure = (e: HistoryEntry): boolean => e.payload.value !== null || e.payload.suppressed;

/**
 * The state of one value derived from its history, as it was at `asOf` (RFC 3339; default: now, i.e.
 * every entry). Order-independent: entries may arrive in any order and more than once.
 */
export function stateOf(entries: readonly HistoryEntry[], asOf?: string): ValueState | undefined {
  const cut = asOf === undefined ? undefined : new Date(asOf).toISOString();
  const seen = new Map<string, HistoryEntry>();
  for (const e of entries) if (cut === undefined || e.publishedAt <= cut) seen.set(e.id, e);
  const sorted = [...seen.values()].sort(byTime);
  if (sorted.length === 0) return undefined;
  const latest = sorted[sorted.length - 1];
  const same = sorted.filter(sameValueAs(latest));
  const first = same.find(hasFigure) ?? same[0];
  return {
    key: latest.key,
    indicatorId: latest.indicatorId,
    regionCode: latest.regionCode,
    period: latest.period,
    payload: latest.payload,
    publishedAt: latest.publishedAt,
    firstPublishedAt: first.publishedAt,
    revised: latest.valueHash !== first.valueHash,
    entries: sorted.length,
    latestEntryId: latest.id,
  };
}

/** Groups history entries by value key and derives each value's state at `asOf`. */
export function statesOf(entries: readonly HistoryEntry[], asOf?: string): ValueState[] {
  const byKey = new Map<string, HistoryEntry[]>();
  for (const e of entries) {
    const list = byKey.get(e.key);
    if (list) list.push(e);
    else byKey.set(e.key, [e]);
  }
  return [...byKey.values()].map((list) => stateOf(list, asOf)).filter((s): s is ValueState => s !== undefined);
}

/** Whether readers would see a difference between two states of a value (value, comparison, revised, …). */
export function visiblyDifferent(before: ValueState | undefined, after: ValueState): boolean {
  return !before || publishedContentHash(before.payload) !== publishedContentHash(after.payload) || before.revised !== after.revised;
}
