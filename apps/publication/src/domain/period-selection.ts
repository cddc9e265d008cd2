import { isMonthEnd } from './calendar';

/** A period as the read model stores it (`2023`, `current`) and as the answer labels it. */
export interface StoredPeriod {
  readonly stored: string;
  readonly label: string;
}

/**
 * What a request asks for: periods the read model holds (years, a year-end date, today's current value),
 * or an on-demand Stichtag that the kpi-calculation service computes.
 */
export type PeriodSelection =
  | { readonly kind: 'stored'; readonly periods: readonly StoredPeriod[] }
  | { readonly kind: 'on-demand'; readonly date: string };

/**
 * Differencing protection (privacy.md §3): anonymous readers get year periods, month-end Stichtage and
 * the current value; any other date needs the `analyst` role, because two close Stichtage differ by the
 * few events between them. Anonymous month ends run from FIRST_YEAR (`firstYear`) to today: each is an
 * on-demand computation, and the years before FIRST_YEAR are not published (api.md limits).
 */
export function needsAnalystRole(selection: PeriodSelection, firstYear = 0): boolean {
  return (
    selection.kind === 'on-demand' && (!isMonthEnd(selection.date) || Number(selection.date.slice(0, 4)) < firstYear)
  );
}
