import { COUNTY_CODE, MUNICIPALITIES } from '@sozialmonitor/regions';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BoundariesError, prepareBoundaries } from './boundaries';
import { buildChoropleth } from './choropleth';
import type { ValueRecord } from './value-record';

const CODES = MUNICIPALITIES.map((m) => m.ags).sort();
const FILE = join(__dirname, '../../../../libs/regions/data/kreis_pinneberg_gemeinden_vg5000.geojson');
const boundaries = prepareBoundaries(JSON.parse(readFileSync(FILE, 'utf8')), CODES);

function record(regionCode: string, value: number | null, over: Partial<ValueRecord> = {}): ValueRecord {
  return {
    indicatorId: 'births_per_1000',
    regionCode,
    period: '2023',
    value,
    suppressed: false,
    comparison: regionCode === COUNTY_CODE ? { state: 7.5, germany: 8.2 } : { county: 8.1, state: 7.5, germany: 8.2 },
    revised: false,
    ...over,
  };
}

function map(records: ValueRecord[], method: 'quantile' | 'equal' | 'jenks' = 'equal', k = 5) {
  return buildChoropleth({
    indicator: { id: 'births_per_1000', unit: '‰', version: 1, name: 'Geburtenrate' },
    period: '2023',
    records,
    municipalities: CODES,
    countyCode: COUNTY_CODE,
    boundaries,
    method,
    k,
  });
}

describe('the map answer (choropleth)', () => {
  it('has a feature with geometry for every one of the 49 municipalities and the attribution of the boundaries', () => {
    const answer = map(CODES.map((c, i) => record(c, i)));
    expect(answer.type).toBe('FeatureCollection');
    expect(answer.features.map((f) => f.properties.code)).toEqual(CODES);
    for (const f of answer.features) expect(['Polygon', 'MultiPolygon']).toContain(f.geometry.type);
    expect(answer.attribution).toContain('GeoBasis-DE / BKG');
    expect(answer.features.find((f) => f.id === '01056015')!.properties.name).toBe('Elmshorn, Stadt');
  });

  it('gives a suppressed feature no value and no class, and leaves it out of the class limits', () => {
    const records = CODES.map((c, i) => record(c, i + 1));
    // A suppressed record that still carried a number (it must never show) with the largest value of all.
    records[3] = record(CODES[3], 777.25, { suppressed: true, reason: 'primary' });
    records.push(record(COUNTY_CODE, 8.1));
    const answer = map(records, 'equal', 4);
    const f = answer.features[3].properties;
    expect(f).toMatchObject({ value: null, suppressed: true, reason: 'primary', class: null });
    const withoutGeometry = { ...answer, features: answer.features.map((x) => x.properties) };
    expect(JSON.stringify(withoutGeometry)).not.toContain('777');
    expect(answer.classification.breaks[answer.classification.breaks.length - 1]).toBe(49);
    expect(answer.comparison).toEqual({ county: 8.1, state: 7.5, germany: 8.2 });
  });

  it('classes the values by the limits (equal intervals), and a missing value is grey: no class, reason no_data', () => {
    const records = CODES.slice(1).map((c, i) => record(c, i % 2 === 0 ? 0 : 10));
    const answer = map(records, 'equal', 5);
    expect(answer.classification).toEqual({ method: 'equal', k: 5, breaks: [0, 2, 4, 6, 8, 10] });
    expect(answer.features[1].properties.class).toBe(0);
    expect(answer.features[2].properties.class).toBe(4);
    expect(answer.features[0].properties).toMatchObject({
      value: null,
      suppressed: false,
      class: null,
      reason: 'no_data',
    });
    // Without the county's record the comparison comes from a municipality's.
    expect(answer.comparison).toEqual({ county: 8.1, state: 7.5, germany: 8.2 });
  });

  it('rounds coordinates for the web and refuses a file that lacks a municipality or an attribution', () => {
    const coords = JSON.stringify(boundaries.byCode.get('01056025'));
    expect(coords).not.toMatch(/\d\.\d{6,}/);
    const doc = JSON.parse(readFileSync(FILE, 'utf8'));
    const without = {
      ...doc,
      features: doc.features.filter((f: { properties: { AGS: string } }) => f.properties.AGS !== '01056015'),
    };
    expect(() => prepareBoundaries(without, CODES)).toThrow(/01056015/);
    expect(() => prepareBoundaries({ ...doc, attribution: undefined }, CODES)).toThrow(BoundariesError);
    expect(prepareBoundaries({ ...doc, attribution: undefined }, CODES, { attribution: '© X' }).attribution).toBe(
      '© X',
    );
  });
});
