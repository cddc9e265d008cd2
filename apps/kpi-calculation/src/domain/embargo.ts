/**
 * A hold ("Sperrfrist") on the values of one year: computed as always, but not published — not on the
 * KPI topic, so not in publication, its cache, its stream or any subscriber — until the release time.
 * At the release every value of the year goes out with `computedAt` = the release time: one `asOf`
 * boundary for the whole year.
 */
export type EmbargoState = 'held' | 'released';

export interface Embargo {
  /** `year-<YYYY>`. */
  readonly id: string;
  /** The held period (a year, `YYYY`, as on the topic). */
  readonly period: string;
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
  const at = typeof body.releaseAt === 'string' && RFC3339.test(body.releaseAt) ? new Date(body.releaseAt) : null;
  if (!at || Number.isNaN(at.getTime()))
    problems.push({ field: 'releaseAt', message: 'must be an RFC 3339 time with offset, e.g. 2026-03-01T10:00:00+01:00' });
  else if (at.getTime() <= rules.now.getTime()) problems.push({ field: 'releaseAt', message: 'must be in the future' });
  if (typeof body.reason !== 'string' || body.reason.trim() === '')
    problems.push({ field: 'reason', message: 'must be a non-empty string (why the values are held)' });
  if (problems.length) return { problems };
  return { period: period as string, releaseAt: at!.toISOString(), reason: (body.reason as string).trim() };
}

/** The holds in force and the release times of released years, as the publisher consults them. */
export class HoldSet {
  private held = new Map<string, Embargo>();
  private released = new Map<string, string>();

  replace(embargoes: readonly Embargo[]): void {
    this.held = new Map(embargoes.filter((e) => e.state === 'held').map((e) => [e.period, e]));
    this.released = new Map(embargoes.filter((e) => e.state === 'released').map((e) => [e.period, e.releaseAt]));
  }

  holds(period: string): boolean {
    return this.held.has(period);
  }

  /** Held embargoes whose release time has come. */
  due(now: Date): Embargo[] {
    return [...this.held.values()].filter((e) => new Date(e.releaseAt).getTime() <= now.getTime());
  }

  /**
   * The `computedAt` a value of `period` is published with: never before its year's release time (a
   * round that computed before the release and publishes after it must not date the value back
   * behind the boundary).
   */
  stamp(period: string, computedAt: string): string {
    const releaseAt = this.released.get(period);
    return releaseAt && computedAt < releaseAt ? releaseAt : computedAt;
  }
}
