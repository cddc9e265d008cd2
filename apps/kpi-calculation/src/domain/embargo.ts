/**
 * A hold ("Sperrfrist") on the values of one year, or on the values a new catalogue version brings
 * (its added indicators, its changed definitions and the indexes over them): computed as always, but
 * not published — not on the KPI topic, so not in publication, its cache, its stream or any subscriber —
 * until the release time. At the release every held value goes out with `computedAt` = the release
 * time: one `asOf` boundary for the whole year (or version).
 */
export type EmbargoState = 'held' | 'released';

export interface Embargo {
  /** `year-<YYYY>`, or `catalogue-<n>` for a catalogue version. */
  readonly id: string;
  /** The held period (a year, `YYYY`, as on the topic); for a catalogue version: '' (every period). */
  readonly period: string;
  /** A held catalogue version: its number. */
  readonly catalogueVersion?: number;
  /**
   * A held catalogue version: the indicators whose values are held (added, changed, and indexes over
   * them); until the release the values published for them before stay what the public sees.
   */
  readonly indicators?: readonly string[];
  /** RFC 3339, UTC. */
  readonly releaseAt: string;
  readonly reason: string;
  readonly state: EmbargoState;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly releasedAt?: string;
  /** Values published at the release. */
  readonly published?: number;
}

export interface EmbargoProblem {
  readonly field: string;
  readonly message: string;
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

export const embargoId = (period: string) => `year-${period}`;
export const catalogueEmbargoId = (catalogueVersion: number) => `catalogue-${catalogueVersion}`;

/** Checks a release time: RFC 3339 with offset, in the future. */
export function parseReleaseTime(value: unknown, now: Date): { releaseAt: string } | { problem: EmbargoProblem } {
  const at = typeof value === 'string' && RFC3339.test(value) ? new Date(value) : null;
  if (!at || Number.isNaN(at.getTime()))
    return { problem: { field: 'releaseAt', message: 'must be an RFC 3339 time with offset, e.g. 2026-03-01T10:00:00+01:00' } };
  if (at.getTime() <= now.getTime()) return { problem: { field: 'releaseAt', message: 'must be in the future' } };
  return { releaseAt: at.toISOString() };
}

/** Checks an admin's request: a year from FIRST_YEAR to this year, a release time in the future, a reason. */
export function parseEmbargoRequest(
  input: unknown,
  rules: { firstYear: number; thisYear: number; now: Date; period?: string },
): { period: string; releaseAt: string; reason: string } | { problems: EmbargoProblem[] } {
  const body = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
  const problems: EmbargoProblem[] = [];
  const period = rules.period ?? (typeof body.year === 'number' ? String(body.year) : body.year);
  if (typeof period !== 'string' || !/^\d{4}$/.test(period) || +period < rules.firstYear || +period > rules.thisYear)
    problems.push({ field: 'year', message: `must be a year from ${rules.firstYear} to ${rules.thisYear}` });
  const time = parseReleaseTime(body.releaseAt, rules.now);
  if ('problem' in time) problems.push(time.problem);
  if (typeof body.reason !== 'string' || body.reason.trim() === '')
    problems.push({ field: 'reason', message: 'must be a non-empty string (why the values are held)' });
  if (problems.length || !('releaseAt' in time)) return { problems };
  return { period: period as string, releaseAt: time.releaseAt, reason: (body.reason as string).trim() };
}

/** What a hold is asked about: a value's indicator and period (a year, or a day `YYYY-MM-DD`). */
export interface HeldCandidate {
  readonly indicatorId: string;
  readonly period: string;
}

const covers = (e: Embargo, v: HeldCandidate) =>
  e.indicators ? e.indicators.includes(v.indicatorId) : e.period === v.period.slice(0, 4);

/** The holds in force and the release times of released holds, as the publisher consults them. */
export class HoldSet {
  private held: Embargo[] = [];
  private released: Embargo[] = [];

  replace(embargoes: readonly Embargo[]): void {
    this.held = embargoes.filter((e) => e.state === 'held');
    this.released = embargoes.filter((e) => e.state === 'released');
  }

  /** Whether a year is held as a whole. */
  holds(period: string): boolean {
    return this.held.some((e) => !e.indicators && e.period === period);
  }

  /** Whether a value is held: its year, or its indicator by a held catalogue version (`except`: the hold being released). */
  holdsValue(value: HeldCandidate, except?: string): boolean {
    return this.held.some((e) => e.id !== except && covers(e, value));
  }

  /** The held catalogue version, if one is held (one at a time). */
  heldCatalogue(): Embargo | undefined {
    return this.held.find((e) => e.indicators);
  }

  /** Held embargoes whose release time has come. */
  due(now: Date): Embargo[] {
    return this.held.filter((e) => new Date(e.releaseAt).getTime() <= now.getTime());
  }

  /**
   * The `computedAt` a value is published with: never before the release time of a released hold that
   * covers it (a round that computed before the release and publishes after it must not date the value
   * back behind the boundary).
   */
  stamp(value: HeldCandidate, computedAt: string): string {
    let stamped = computedAt;
    for (const e of this.released) if (covers(e, value) && stamped < e.releaseAt) stamped = e.releaseAt;
    return stamped;
  }
}
