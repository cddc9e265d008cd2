import type { Geometry } from 'geojson';
import type { JsonAnswer, PublicationPaths } from '../../../../libs/contracts/src/http';

/** The publication API as the dashboard uses it (same origin: no other host is ever asked). */

// The answers as publication's OpenAPI document declares them (generated: `npm run openapi`), so a field
// renamed in the document fails this page's compile instead of its readers.
type Answer<P extends keyof PublicationPaths> = JsonAnswer<PublicationPaths, P>;

export type Indicator = Answer<'/api/v1/indicators/{id}'>;
export type Value = Answer<'/api/v1/indicators/{id}/values'>['values'][number];

export interface MapFeature {
  type: 'Feature';
  id: string;
  properties: {
    code: string;
    name: string;
    value: number | null;
    suppressed: boolean;
    reason?: string;
    class: number | null;
    revised: boolean;
  };
  geometry: Geometry;
}

export interface MapAnswer {
  type: 'FeatureCollection';
  indicator: { id: string; unit: string; version: number; name: string };
  period: string;
  asOf?: string;
  classification: { method: string; k: number; breaks: number[] };
  comparison: { county: number | null; state: number | null; germany: number | null };
  attribution: string;
  features: MapFeature[];
}

export type ProfileEntry = Answer<'/api/v1/regions/{code}/profile'>['values'][number];

export class ApiError extends Error {}

async function get<T>(path: string, accept = 'application/json'): Promise<T> {
  const res = await fetch(path, { headers: { Accept: accept } });
  if (!res.ok) {
    let detail = res.statusText;
    try {
      detail = ((await res.json()) as { detail?: string }).detail ?? detail;
    } catch {
      /* not a problem document */
    }
    throw new ApiError(`${res.status}: ${detail}`);
  }
  return (accept === 'text/csv' ? await res.text() : await res.json()) as T;
}

export function query(params: Record<string, string | number | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

export const api = {
  indicators: () => get<{ indicators: Indicator[] }>('/api/v1/indicators').then((a) => a.indicators),
  map: (id: string, p: Record<string, string | number | undefined>) =>
    get<MapAnswer>(`/api/v1/indicators/${encodeURIComponent(id)}/map${query(p)}`),
  values: (id: string, p: Record<string, string | number | undefined>) =>
    get<{ values: Value[] }>(`/api/v1/indicators/${encodeURIComponent(id)}/values${query(p)}`).then((a) => a.values),
  valuesCsv: (id: string, p: Record<string, string | number | undefined>) =>
    get<string>(`/api/v1/indicators/${encodeURIComponent(id)}/values${query(p)}`, 'text/csv'),
  profile: (code: string, p: Record<string, string | number | undefined>) =>
    get<{ values: ProfileEntry[] }>(`/api/v1/regions/${code}/profile${query(p)}`).then((a) => a.values),
};
