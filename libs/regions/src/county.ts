import { MUNICIPALITIES } from './municipalities.data';
import type { Municipality, Region } from './region';

export const COUNTY_CODE = '01056';
export const STATE_CODE = '01';
export const COUNTRY_CODE = 'DG';

export const COUNTY: Region = { code: COUNTY_CODE, name: 'Kreis Pinneberg', level: 'county', parent: STATE_CODE };
export const STATE: Region = { code: STATE_CODE, name: 'Schleswig-Holstein', level: 'state', parent: COUNTRY_CODE };
export const COUNTRY: Region = { code: COUNTRY_CODE, name: 'Deutschland', level: 'country', parent: null };

const byAgs = new Map<string, Municipality>(MUNICIPALITIES.map((m) => [m.ags, m]));

export function isMunicipalityAgs(code: string): boolean {
  return byAgs.has(code);
}

export function municipality(ags: string): Municipality | undefined {
  return byAgs.get(ags);
}

export function municipalityRegion(m: Municipality): Region {
  return { code: m.ags, name: m.name, level: 'municipality', parent: COUNTY_CODE };
}

/** Regions that carry computed values: every municipality (sorted by AGS) and the county. */
export function computedRegions(): Region[] {
  return [...MUNICIPALITIES].sort((a, b) => a.ags.localeCompare(b.ags)).map(municipalityRegion).concat([COUNTY]);
}

/** Any region code the system knows, comparison regions included. */
export function regionByCode(code: string): Region | undefined {
  const m = byAgs.get(code);
  if (m) return municipalityRegion(m);
  return [COUNTY, STATE, COUNTRY].find((r) => r.code === code);
}
