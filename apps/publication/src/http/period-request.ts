import type { ApiTokenRegistry } from '@sozialmonitor/platform/auth';
import type { Clock } from '../application/clock';
import type { PeriodSelection } from '../domain/period-selection';
import type { Parsed, QueryContext, RawQuery } from '../domain/query-parameters';
import { checkStichtagAccess } from './access';
import { badParameters, CACHE_CONTROL } from './responder';

/** A request for the values of periods whose query is valid and whose caller may see them. */
export interface PeriodRequest<Q> {
  readonly query: Q;
  /**
   * Cache-Control of the answer: an on-demand Stichtag stays as it is (but only an analyst's own cache
   * may keep it when it needs the role); stored periods are current, or stable as published at a past
   * `asOf`. Asked once the values are read: `asOf` is compared with the clock then.
   */
  cacheControl(): string;
}

/** What the query handling depends on besides the request. */
export interface PeriodRequestContext {
  readonly tokens: ApiTokenRegistry;
  readonly clock: Clock;
  /** FIRST_YEAR */
  readonly firstYear: number;
}

/**
 * The query handling that `GET /indicators/{id}/values` and `GET /regions/{code}/profile` share: the
 * query parsed against today and FIRST_YEAR (400 naming every bad parameter), then the Stichtag access
 * checked (401/403).
 */
export function periodRequest<Q extends { readonly selection: PeriodSelection; readonly asOf?: string }>(
  parse: (query: RawQuery, ctx: QueryContext) => Parsed<Q>,
  query: RawQuery,
  authorization: string | undefined,
  { tokens, clock, firstYear }: PeriodRequestContext,
): PeriodRequest<Q> {
  const parsed = parse(query, { today: clock.today(), firstYear });
  if (!parsed.ok) throw badParameters(parsed.errors);
  const { selection, asOf } = parsed.value;
  const restricted = checkStichtagAccess(tokens, authorization, selection);
  return {
    query: parsed.value,
    cacheControl: () => {
      if (selection.kind === 'on-demand') return restricted ? CACHE_CONTROL.restricted : CACHE_CONTROL.stable;
      return asOf && asOf < clock.now().toISOString() ? CACHE_CONTROL.stable : CACHE_CONTROL.current;
    },
  };
}
