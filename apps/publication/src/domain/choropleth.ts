import type { Boundaries, Geometry } from './boundaries';
import { classBreaks, type Classification, type ClassificationMethod, classOf } from './class-breaks';
import { type ValueRecord, valueView } from './value-record';

export interface ChoroplethInput {
  readonly indicator: { readonly id: string; readonly unit: string; readonly version: number; readonly name: string };
  /** The period as the answer labels it (`2023`, `2024-06-30`). */
  readonly period: string;
  readonly asOf?: string;
  /** The indicator's values of the period: municipalities and (for the comparison) the county. */
  readonly records: readonly ValueRecord[];
  readonly municipalities: readonly string[];
  readonly countyCode: string;
  readonly boundaries: Boundaries;
  readonly method: ClassificationMethod;
  readonly k: number;
}

export interface ChoroplethFeature {
  readonly type: 'Feature';
  readonly id: string;
  readonly properties: {
    readonly code: string;
    readonly name: string;
    /** Null when suppressed or when there is no value; a suppressed feature carries no number at all. */
    readonly value: number | null;
    readonly suppressed: boolean;
    readonly reason?: string;
    /** The class (0-based index into the classes between `classification.breaks`), null without a value. */
    readonly class: number | null;
    readonly revised: boolean;
  };
  readonly geometry: Geometry;
}

export interface Choropleth {
  readonly type: 'FeatureCollection';
  readonly indicator: ChoroplethInput['indicator'];
  readonly period: string;
  readonly asOf?: string;
  readonly classification: Classification;
  readonly comparison: {
    readonly county: number | null;
    readonly state: number | null;
    readonly germany: number | null;
  };
  readonly attribution: string;
  readonly features: ChoroplethFeature[];
}

/**
 * What a choropleth needs in one answer: every municipality with its boundary, value and class, the class
 * limits computed from the values that may be shown (suppressed and missing values take no part, so
 * no limit can give a suppressed value away), and the county, state and Germany values beside it.
 */
export function buildChoropleth(input: ChoroplethInput): Choropleth {
  const byCode = new Map(input.records.map((r) => [r.regionCode, r]));
  const views = input.municipalities.map((code) => {
    const record = byCode.get(code);
    return record
      ? valueView(record, input.period)
      : { ...valueView(missing(input.indicator.id, code), input.period), reason: 'no_data' };
  });
  const shown = views.filter((v) => !v.suppressed && v.value !== null).map((v) => v.value as number);
  const classification = classBreaks(shown, input.method, input.k);
  const county = byCode.get(input.countyCode);
  const countyView = county ? valueView(county, input.period) : undefined;
  const anyMunicipal = views.find((v) => v.comparison.state !== null || v.comparison.germany !== null);
  return {
    type: 'FeatureCollection',
    indicator: input.indicator,
    period: input.period,
    ...(input.asOf ? { asOf: input.asOf } : {}),
    classification,
    comparison: {
      county: countyView ? countyView.value : (anyMunicipal?.comparison.county ?? null),
      state: countyView?.comparison.state ?? anyMunicipal?.comparison.state ?? null,
      germany: countyView?.comparison.germany ?? anyMunicipal?.comparison.germany ?? null,
    },
    attribution: input.boundaries.attribution,
    features: views.map((v) => ({
      type: 'Feature',
      id: v.region.code,
      properties: {
        code: v.region.code,
        name: v.region.name,
        value: v.suppressed ? null : v.value,
        suppressed: v.suppressed,
        ...(v.reason !== undefined ? { reason: v.reason } : {}),
        class: v.suppressed ? null : classOf(v.value, classification.breaks),
        revised: v.revised,
      },
      geometry: input.boundaries.byCode.get(v.region.code)!,
    })),
  };
}

function missing(indicatorId: string, regionCode: string): ValueRecord {
  return {
    indicatorId,
    regionCode,
    period: '',
    value: null,
    suppressed: false,
    reason: 'no_data',
    comparison: { county: null, state: null, germany: null },
    revised: false,
  };
}
