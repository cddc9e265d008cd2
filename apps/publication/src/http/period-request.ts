import { Injectable } from '@nestjs/common';
import { formatDay } from '@sozialmonitor/indicators';
import { Clock } from '@sozialmonitor/platform';
import { ApiTokenRegistry } from '@sozialmonitor/platform/auth';
import type { PeriodSelection } from '../domain/period-selection';
import type { Parsed, QueryContext, RawQuery } from '../domain/query-parameters';
import { PublicationEnvironment } from '../publication.environment';
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

/**
 * The county's date at an instant; an instant the calendar cannot format (a year before 1000, which
 * Intl writes with three digits) is taken by its UTC date — no value is published then anyway.
 */
function dayOf(clock: Clock, instant: string): string {
  try {
    return formatDay(clock.dayAt(new Date(instant)));
  } catch {
    return instant.slice(0, 10);
  }
}

/**
 * The query handling that `GET /indicators/{id}/values` and `GET /regions/{code}/profile` share: the
 * query parsed against today and FIRST_YEAR (400 naming every bad parameter), then the Stichtag access
 * checked (401/403).
 */
@Injectable()
export class PeriodRequests {
  constructor(
    private readonly tokens: ApiTokenRegistry,
    private readonly clock: Clock,
    private readonly env: PublicationEnvironment,
  ) {}

  ask<Q extends { readonly selection: PeriodSelection; readonly asOf?: string }>(
    parse: (query: RawQuery, ctx: QueryContext) => Parsed<Q>,
    query: RawQuery,
    authorization: string | undefined,
  ): PeriodRequest<Q> {
    const { clock } = this;
    const parsed = parse(query, {
      today: clock.todayText(),
      firstYear: this.env.FIRST_YEAR,
      dayOf: (instant) => dayOf(clock, instant),
    });
    if (!parsed.ok) throw badParameters(parsed.errors);
    const { selection, asOf } = parsed.value;
    const restricted = checkStichtagAccess(this.tokens, authorization, selection, this.env.FIRST_YEAR);
    return {
      query: parsed.value,
      cacheControl: () => {
        if (selection.kind === 'on-demand') return restricted ? CACHE_CONTROL.restricted : CACHE_CONTROL.stable;
        return asOf && asOf < clock.now().toISOString() ? CACHE_CONTROL.stable : CACHE_CONTROL.current;
      },
    };
  }
}
