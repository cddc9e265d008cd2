import type { ValueRecord } from './value-record';

/**
 * A report ("Sozialbericht 2025"): sections, one per policy field, each with text, figures embedded by
 * reference (indicator, regions, periods, chart type) and recommendations ("Handlungsempfehlungen") with
 * a status. A draft can be edited; a release pins every figure to the values as published at that
 * moment (`asOf` = the release time), so a released report never changes again. Only the status of a
 * recommendation moves on after the release (that is what a council follows up on).
 */
export const RECOMMENDATION_STATUSES = ['proposed', 'decided', 'in_progress', 'done'] as const;
export type RecommendationStatus = (typeof RECOMMENDATION_STATUSES)[number];
export const CHART_TYPES = ['table', 'bar', 'line'] as const;
export type ChartType = (typeof CHART_TYPES)[number];
export type ReportState = 'draft' | 'released' | 'withdrawn';

export interface FigureReference {
  readonly id: string;
  readonly title: string;
  readonly indicator: string;
  readonly regions: readonly string[];
  /** Years, `YYYY`. */
  readonly periods: readonly string[];
  readonly chart: ChartType;
}

export interface Recommendation {
  readonly id: string;
  readonly text: string;
  readonly status: RecommendationStatus;
}

export interface ReportSection {
  /** The policy field (e.g. "Kinder und Familie"); one section per field. */
  readonly field: string;
  readonly title: string;
  readonly text: string;
  readonly figures: readonly FigureReference[];
  readonly recommendations: readonly Recommendation[];
}

export interface ReportDraft {
  readonly title: string;
  readonly summary: string;
  readonly sections: readonly ReportSection[];
}

/** The values of one figure as published at the release (or, for a comparison, today). */
export interface FigureValues {
  readonly figure: string;
  readonly values: readonly ValueRecord[];
}

export interface Report extends ReportDraft {
  readonly id: string;
  readonly state: ReportState;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly updatedAt: string;
  readonly updatedBy: string;
  readonly releasedAt?: string;
  readonly releasedBy?: string;
  readonly withdrawnAt?: string;
  readonly withdrawnBy?: string;
  readonly withdrawnReason?: string;
  /** The pinned values (released and withdrawn reports). */
  readonly pinned?: readonly FigureValues[];
}

export interface ReportProblem {
  readonly field: string;
  readonly message: string;
}

/** What a draft is checked against: the catalogue's ids, the regions, the published years. */
export interface ReportRules {
  readonly indicatorExists: (id: string) => boolean;
  readonly regionExists: (code: string) => boolean;
  readonly firstYear: number;
  readonly lastYear: number;
}

const ID = /^[a-z0-9][a-z0-9-]{0,63}$/;
const LIMITS = { sections: 30, figures: 20, recommendations: 50, regions: 50, periods: 30, text: 20_000, title: 200 };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The report id: lower-case letters, digits and hyphens (e.g. `sozialbericht-2025`). */
export function isReportId(id: string): boolean {
  return ID.test(id);
}

/**
 * Checks a draft from outside (JSON) and returns it in its typed form, or every problem with the path
 * of the field (`sections[1].figures[0].periods[2]`) and why.
 */
export function parseReportDraft(
  input: unknown,
  rules: ReportRules,
): { draft: ReportDraft; problems: [] } | { draft?: undefined; problems: ReportProblem[] } {
  const problems: ReportProblem[] = [];
  const fail = (field: string, message: string) => problems.push({ field, message });
  const text = (v: unknown, field: string, max: number, required = true): string => {
    if (typeof v !== 'string' || (required && v.trim() === '')) {
      fail(field, required ? 'must be a non-empty string' : 'must be a string');
      return '';
    }
    if (v.length > max) fail(field, `must be at most ${max} characters`);
    return v;
  };
  const list = (v: unknown, field: string, max: number, min = 0): unknown[] => {
    if (!Array.isArray(v)) {
      fail(field, 'must be an array');
      return [];
    }
    if (v.length < min) fail(field, `must have at least ${min} entr${min === 1 ? 'y' : 'ies'}`);
    if (v.length > max) fail(field, `must have at most ${max} entries`);
    return v.slice(0, max);
  };
  const id = (v: unknown, field: string, seen: Set<string>): string => {
    if (typeof v !== 'string' || !ID.test(v)) {
      fail(field, 'must be an id of lower-case letters, digits and hyphens (at most 64)');
      return '';
    }
    if (seen.has(v)) fail(field, `'${v}' is used twice`);
    seen.add(v);
    return v;
  };

  if (!isObject(input)) return { problems: [{ field: '', message: 'the report must be a JSON object' }] };
  const title = text(input.title, 'title', LIMITS.title);
  const summary = input.summary === undefined ? '' : text(input.summary, 'summary', LIMITS.text, false);
  const fields = new Set<string>();
  const figureIds = new Set<string>();
  const recommendationIds = new Set<string>();
  const sections = list(input.sections, 'sections', LIMITS.sections, 1).map((raw, s): ReportSection => {
    const at = `sections[${s}]`;
    if (!isObject(raw)) {
      fail(at, 'must be an object');
      return { field: '', title: '', text: '', figures: [], recommendations: [] };
    }
    const field = text(raw.field, `${at}.field`, LIMITS.title);
    if (field && fields.has(field)) fail(`${at}.field`, `the policy field '${field}' has a section already`);
    fields.add(field);
    const figures = list(raw.figures ?? [], `${at}.figures`, LIMITS.figures).map((f, i): FigureReference => {
      const fat = `${at}.figures[${i}]`;
      if (!isObject(f)) {
        fail(fat, 'must be an object');
        return { id: '', title: '', indicator: '', regions: [], periods: [], chart: 'table' };
      }
      const indicator = text(f.indicator, `${fat}.indicator`, 64);
      if (indicator && !rules.indicatorExists(indicator)) fail(`${fat}.indicator`, `'${indicator}' is not in the catalogue`);
      const regions = list(f.regions, `${fat}.regions`, LIMITS.regions, 1).map((r, j) => {
        if (typeof r !== 'string' || !rules.regionExists(r))
          fail(`${fat}.regions[${j}]`, 'must be the code of a municipality or the county');
        return String(r);
      });
      const periods = list(f.periods, `${fat}.periods`, LIMITS.periods, 1).map((p, j) => {
        const year = typeof p === 'string' && /^\d{4}$/.test(p) ? Number(p) : NaN;
        if (!(year >= rules.firstYear && year <= rules.lastYear))
          fail(`${fat}.periods[${j}]`, `must be a year from ${rules.firstYear} to ${rules.lastYear} as text ("2024")`);
        return String(p);
      });
      const chart = f.chart ?? 'table';
      if (!CHART_TYPES.includes(chart as ChartType)) fail(`${fat}.chart`, `must be one of ${CHART_TYPES.join(', ')}`);
      return {
        id: id(f.id, `${fat}.id`, figureIds),
        title: text(f.title, `${fat}.title`, LIMITS.title),
        indicator,
        regions: [...new Set(regions)],
        periods: [...new Set(periods)].sort(),
        chart: chart as ChartType,
      };
    });
    const recommendations = list(raw.recommendations ?? [], `${at}.recommendations`, LIMITS.recommendations).map(
      (r, i): Recommendation => {
        const rat = `${at}.recommendations[${i}]`;
        if (!isObject(r)) {
          fail(rat, 'must be an object');
          return { id: '', text: '', status: 'proposed' };
        }
        const status = r.status ?? 'proposed';
        if (!isRecommendationStatus(status))
          fail(`${rat}.status`, `must be one of ${RECOMMENDATION_STATUSES.join(', ')}`);
        return {
          id: id(r.id, `${rat}.id`, recommendationIds),
          text: text(r.text, `${rat}.text`, LIMITS.text),
          status: status as RecommendationStatus,
        };
      },
    );
    return {
      field,
      title: text(raw.title, `${at}.title`, LIMITS.title),
      text: raw.text === undefined ? '' : text(raw.text, `${at}.text`, LIMITS.text, false),
      figures,
      recommendations,
    };
  });
  if (problems.length > 0) return { problems };
  return { draft: { title, summary, sections }, problems: [] };
}

export function isRecommendationStatus(v: unknown): v is RecommendationStatus {
  return RECOMMENDATION_STATUSES.includes(v as RecommendationStatus);
}

export function figuresOf(report: ReportDraft): FigureReference[] {
  return report.sections.flatMap((s) => s.figures);
}

/** One value of a figure beside today's: `changed` when the number or the suppression differs. */
export interface ComparedValue {
  readonly regionCode: string;
  readonly period: string;
  readonly pinned: ValueRecord | null;
  readonly current: ValueRecord | null;
  readonly changed: boolean;
}

const cell = (r: ValueRecord) => `${r.regionCode}|${r.period}`;

/** Pairs the pinned values of a figure with today's (by region and period), differences marked. */
export function compareFigure(pinned: readonly ValueRecord[], current: readonly ValueRecord[]): ComparedValue[] {
  const now = new Map(current.map((r) => [cell(r), r]));
  const then = new Map(pinned.map((r) => [cell(r), r]));
  const keys = [...new Set([...then.keys(), ...now.keys()])];
  return keys.map((k) => {
    const p = then.get(k) ?? null;
    const c = now.get(k) ?? null;
    const [regionCode, period] = k.split('|');
    const changed = !p || !c || p.suppressed !== c.suppressed || p.value !== c.value;
    return { regionCode, period, pinned: p, current: c, changed };
  });
}
