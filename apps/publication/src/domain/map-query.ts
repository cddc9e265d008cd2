import {
  CLASSIFICATION_METHODS,
  type ClassificationMethod,
  DEFAULT_CLASSES,
  DEFAULT_METHOD,
  MAX_CLASSES,
  MIN_CLASSES,
} from './class-breaks';
import type { PeriodSelection } from './period-selection';
import {
  type ParameterError,
  type Parsed,
  parseProfileQuery,
  type QueryContext,
  type RawQuery,
} from './query-parameters';

export interface MapQuery {
  readonly selection: PeriodSelection;
  readonly asOf?: string;
  readonly method: ClassificationMethod;
  readonly k: number;
}

/**
 * `GET /indicators/{id}/map`: the period as for a profile (`year`, default the last completed year, or
 * `date`; `asOf`), plus `classes` (quantile | equal | jenks, default quantile) and `k` (3…7, default 5).
 */
export function parseMapQuery(query: RawQuery, ctx: QueryContext): Parsed<MapQuery> {
  const { classes, k, ...period } = query;
  const errors: ParameterError[] = [];
  const method = single(classes, 'classes', errors) ?? DEFAULT_METHOD;
  if (!(CLASSIFICATION_METHODS as readonly string[]).includes(method))
    errors.push({ parameter: 'classes', message: `must be one of ${CLASSIFICATION_METHODS.join(', ')}` });
  const kText = single(k, 'k', errors);
  const count = kText === undefined ? DEFAULT_CLASSES : Number(kText);
  if (kText !== undefined && (!/^\d$/.test(kText) || count < MIN_CLASSES || count > MAX_CLASSES))
    errors.push({ parameter: 'k', message: `must be a whole number from ${MIN_CLASSES} to ${MAX_CLASSES}` });
  const parsed = parseProfileQuery(period, ctx);
  if (!parsed.ok || errors.length) {
    const periodErrors = parsed.ok
      ? []
      : parsed.errors.map((e) =>
          // The profile's list of allowed parameters does not name the map's own two.
          e.message.startsWith('is not a parameter')
            ? { ...e, message: 'is not a parameter of this endpoint (allowed: year, date, asOf, classes, k)' }
            : e,
        );
    return { ok: false, errors: [...periodErrors, ...errors] };
  }
  return { ok: true, value: { ...parsed.value, method: method as ClassificationMethod, k: count } };
}

function single(v: string | string[] | undefined, name: string, errors: ParameterError[]): string | undefined {
  if (Array.isArray(v)) {
    if (v.length === 1) return v[0];
    errors.push({ parameter: name, message: 'must be given at most once' });
    return undefined;
  }
  return v;
}
