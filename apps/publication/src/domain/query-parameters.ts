import { computedRegions } from '@sozialmonitor/regions';
import { isYearEnd, parseIsoDate } from './calendar';
import type { PeriodSelection, StoredPeriod } from './period-selection';

/** One bad query parameter; the 400 answer lists them all. */
export interface ParameterError {
  readonly parameter: string;
  readonly message: string;
}

export type RawQuery = Record<string, string | string[] | undefined>;

/** Facts the parsing depends on, passed in so that parsing stays a pure function. */
export interface QueryContext {
  /** Today in the county, `YYYY-MM-DD`. */
  readonly today: string;
  /** FIRST_YEAR: the first published year (indicators.md "Periods"). */
  readonly firstYear: number;
  /** The county's calendar date (`YYYY-MM-DD`) at an instant (ISO 8601); labels `date=today&asOf=…`. */
  readonly dayOf?: (instant: string) => string;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; errors: ParameterError[] };

const REGION_ORDER = new Map(computedRegions().map((r, i) => [r.code, i]));
const YEAR = /^\d{4}$/;
const RFC3339 = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/i;
/** Dates before this are refused outright (the county's data starts long after). */
const EARLIEST_YEAR = 1990;

/** Collects errors and reads single or repeated parameters. */
class QueryReader {
  readonly errors: ParameterError[] = [];
  constructor(
    private readonly query: RawQuery,
    allowed: readonly string[],
  ) {
    for (const name of Object.keys(query)) {
      if (!allowed.includes(name))
        this.fail(name, `is not a parameter of this endpoint (allowed: ${allowed.join(', ')})`);
    }
  }

  fail(parameter: string, message: string): undefined {
    this.errors.push({ parameter, message });
    return undefined;
  }

  /** A parameter given at most once; undefined when absent. */
  single(name: string): string | undefined {
    const v = this.query[name];
    if (v === undefined) return undefined;
    if (Array.isArray(v)) return v.length === 1 ? v[0] : this.fail(name, 'must be given at most once');
    return v;
  }

  /** A repeatable parameter; comma-separated lists are accepted as well. */
  list(name: string): string[] | undefined {
    const v = this.query[name];
    if (v === undefined) return undefined;
    return (Array.isArray(v) ? v : [v]).flatMap((x) => x.split(','));
  }
}

function readYear(r: QueryReader, name: string, ctx: QueryContext): number | undefined {
  const text = r.single(name);
  if (text === undefined) return undefined;
  if (!YEAR.test(text)) return r.fail(name, 'must be a year YYYY');
  const year = +text;
  const thisYear = +ctx.today.slice(0, 4);
  if (year < EARLIEST_YEAR || year > thisYear)
    return r.fail(name, `must be a year from ${EARLIEST_YEAR} to ${thisYear}`);
  return year;
}

/** `date=YYYY-MM-DD` or `date=today`, resolved to a selection (Y-12-31 is the year period Y). */
function readDate(r: QueryReader, ctx: QueryContext): PeriodSelection | undefined {
  const text = r.single('date');
  if (text === undefined) return undefined;
  if (text === 'today') return { kind: 'stored', periods: [{ stored: 'current', label: ctx.today }] };
  const d = parseIsoDate(text);
  if (!d) return r.fail('date', 'must be a calendar date YYYY-MM-DD or today');
  if (text > ctx.today) return r.fail('date', 'must not be in the future');
  if (d.year < EARLIEST_YEAR) return r.fail('date', `must be in ${EARLIEST_YEAR} or later`);
  if (isYearEnd(text)) return { kind: 'stored', periods: [{ stored: String(d.year), label: text }] };
  return { kind: 'on-demand', date: text };
}

/** `asOf=<RFC 3339>`; a `+` of the offset that arrived as a space (form encoding) is taken as `+`. */
function readAsOf(r: QueryReader): string | undefined {
  let text = r.single('asOf');
  if (text === undefined) return undefined;
  text = text.replace(/ (\d{2}:\d{2})$/, '+$1');
  const m = RFC3339.exec(text);
  if (!m || !parseIsoDate(m[1]) || +m[2] > 23 || +m[3] > 59 || +m[4] > 60 || Number.isNaN(Date.parse(text))) {
    return r.fail('asOf', 'must be an RFC 3339 date-time such as 2026-01-31T12:00:00Z');
  }
  return new Date(text).toISOString();
}

/**
 * `date=today&asOf=<t>`: the current value as published at t was the value of t's Stichtag, not of
 * today's (issue 11, hole 9): a `current` value is recomputed every day and republished when its
 * published form changes, so the one in force at t belongs to the county's calendar date at t. The
 * answer labels it with that date (today's when t is later). docs/security.md.
 */
function labelCurrentAsOf(selection: PeriodSelection | undefined, asOf: string | undefined, ctx: QueryContext) {
  if (selection?.kind !== 'stored' || asOf === undefined || !ctx.dayOf) return selection;
  const day = ctx.dayOf(asOf);
  const label = day < ctx.today ? day : ctx.today;
  return { ...selection, periods: selection.periods.map((p) => (p.stored === 'current' ? { ...p, label } : p)) };
}

function yearPeriods(from: number, to: number): StoredPeriod[] {
  const out: StoredPeriod[] = [];
  for (let y = from; y <= to; y++) out.push({ stored: String(y), label: String(y) });
  return out;
}

export interface ValuesQuery {
  /** Region codes in the canonical order (municipalities by AGS, then the county). */
  readonly regions: readonly string[];
  readonly selection: PeriodSelection;
  readonly asOf?: string;
}

/**
 * `GET /indicators/{id}/values`: `region` (repeatable; default every municipality and the county),
 * `from`/`to` (years; default FIRST_YEAR … the last completed year) or `date`, and `asOf`.
 */
export function parseValuesQuery(query: RawQuery, ctx: QueryContext): Parsed<ValuesQuery> {
  const r = new QueryReader(query, ['region', 'from', 'to', 'date', 'asOf']);
  const regions = readRegions(r);
  const from = readYear(r, 'from', ctx);
  const to = readYear(r, 'to', ctx);
  const asked = readDate(r, ctx);
  const asOf = readAsOf(r);
  const date = labelCurrentAsOf(asked, asOf, ctx);
  if (query.date !== undefined && (query.from !== undefined || query.to !== undefined)) {
    r.fail('date', 'cannot be combined with from/to (a Stichtag or a range of years)');
  }
  if (from !== undefined && to !== undefined && from > to) r.fail('from', 'must not be after to');
  if (date?.kind === 'on-demand' && asOf !== undefined) {
    r.fail('asOf', 'applies to years, year ends and the current value; on-demand Stichtage are computed, not kept');
  }
  if (r.errors.length) return { ok: false, errors: r.errors };
  const lastCompleted = +ctx.today.slice(0, 4) - 1;
  const selection: PeriodSelection = date ?? {
    kind: 'stored',
    // Outside FIRST_YEAR … last completed year nothing is published: clamp, so a wide range stays cheap.
    periods: yearPeriods(Math.max(from ?? ctx.firstYear, ctx.firstYear), Math.min(to ?? lastCompleted, lastCompleted)),
  };
  return { ok: true, value: { regions: regions!, selection, ...(asOf ? { asOf } : {}) } };
}

function readRegions(r: QueryReader): string[] | undefined {
  const codes = r.list('region');
  if (codes === undefined) return [...REGION_ORDER.keys()];
  const unknown = codes.filter((c) => !REGION_ORDER.has(c));
  if (codes.length === 0 || unknown.length) {
    return r.fail('region', 'must be the AGS of a municipality of Kreis Pinneberg or the county 01056 (repeatable)');
  }
  return [...new Set(codes)].sort((a, b) => REGION_ORDER.get(a)! - REGION_ORDER.get(b)!);
}

export interface ProfileQuery {
  readonly selection: PeriodSelection;
  readonly asOf?: string;
}

/** `GET /regions/{code}/profile`: `year` (default: the last completed year) or `date`, and `asOf`. */
export function parseProfileQuery(query: RawQuery, ctx: QueryContext): Parsed<ProfileQuery> {
  const r = new QueryReader(query, ['year', 'date', 'asOf']);
  const year = readYear(r, 'year', ctx);
  const asked = readDate(r, ctx);
  const asOf = readAsOf(r);
  const date = labelCurrentAsOf(asked, asOf, ctx);
  if (query.year !== undefined && query.date !== undefined) r.fail('date', 'cannot be combined with year');
  if (date?.kind === 'on-demand' && asOf !== undefined) {
    r.fail('asOf', 'applies to years, year ends and the current value; on-demand Stichtage are computed, not kept');
  }
  if (r.errors.length) return { ok: false, errors: r.errors };
  const y = String(year ?? +ctx.today.slice(0, 4) - 1);
  const selection: PeriodSelection = date ?? { kind: 'stored', periods: [{ stored: y, label: y }] };
  return { ok: true, value: { selection, ...(asOf ? { asOf } : {}) } };
}

export interface StreamQuery {
  readonly indicators?: ReadonlySet<string>;
  readonly regions?: ReadonlySet<string>;
}

/** `GET /stream`: optional `indicator` and `region` filters (both repeatable). */
export function parseStreamQuery(query: RawQuery, knownIndicator: (id: string) => boolean): Parsed<StreamQuery> {
  const r = new QueryReader(query, ['indicator', 'region']);
  const indicators = r.list('indicator');
  if (indicators && (indicators.length === 0 || !indicators.every(knownIndicator)))
    r.fail('indicator', 'must be an indicator id of the catalogue');
  const regions = query.region === undefined ? undefined : readRegions(r);
  if (r.errors.length) return { ok: false, errors: r.errors };
  return {
    ok: true,
    value: {
      ...(indicators ? { indicators: new Set(indicators) } : {}),
      ...(regions ? { regions: new Set(regions) } : {}),
    },
  };
}
