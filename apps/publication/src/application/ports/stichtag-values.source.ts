/**
 * Where values for on-demand Stichtage come from (port). The kpi-calculation service computes them from
 * the lake and applies disclosure control; the answer is a list of `KpiValuePayload` (period = the date).
 */
export abstract class StichtagValuesSource {
  /** Every region's value of one indicator at `date` (`YYYY-MM-DD`); raw JSON, validated by the caller. */
  abstract valuesAt(indicatorId: string, date: string): Promise<unknown[]>;
}

/** The source did not answer (down, timeout, 5xx): the API says 503, never a half answer. */
export class StichtagSourceUnavailableError extends Error {
  override readonly name = 'StichtagSourceUnavailableError';
}

/** The source does not know the indicator (for example a catalogue version it has not loaded yet). */
export class StichtagIndicatorUnknownError extends Error {
  override readonly name = 'StichtagIndicatorUnknownError';
}
