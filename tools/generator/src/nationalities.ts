import { type WeightedTable, weighted } from './random';

/**
 * Nationality mixes of the county's residents and newcomers. Shapes follow the published
 * structure of foreign residents in Schleswig-Holstein (Turkey and Poland largest in 2015, then
 * EU-East, the refugee years 2015/16 and Ukraine from 2022); the weights are rounded guesses for
 * synthetic data.
 */
export const GERMAN = 'DE';

/** Foreign residents already living in the county when the register extract begins (2015). */
export const RESIDENT_FOREIGN_MIX = weighted<string>([
  ['TR', 21],
  ['PL', 15],
  ['RO', 5],
  ['BG', 3],
  ['IT', 5],
  ['GR', 4],
  ['HR', 3],
  ['RS', 2],
  ['XK', 1],
  ['BA', 1],
  ['RU', 4],
  ['KZ', 1],
  ['UA', 2],
  ['SY', 5],
  ['AF', 3],
  ['IQ', 3],
  ['IR', 2],
  ['ER', 1],
  ['GB', 2],
  ['NL', 1],
  ['DK', 1],
  ['AT', 2],
  ['FR', 1],
  ['ES', 1],
  ['PT', 3],
  ['US', 1],
  ['IN', 1],
  ['VN', 1],
  ['CN', 1],
  ['XX', 1],
]);

/** Foreigners moving in from elsewhere in Germany. */
export const MOVE_IN_FOREIGN_MIX = weighted<string>([
  ['TR', 10],
  ['PL', 12],
  ['RO', 13],
  ['BG', 6],
  ['IT', 4],
  ['GR', 3],
  ['HR', 4],
  ['RS', 2],
  ['XK', 2],
  ['RU', 3],
  ['UA', 4],
  ['SY', 12],
  ['AF', 7],
  ['IQ', 4],
  ['IR', 2],
  ['ER', 2],
  ['GB', 1],
  ['ES', 2],
  ['PT', 2],
  ['IN', 3],
  ['VN', 1],
  ['CN', 1],
  ['XX', 2],
]);

const IMMIGRATION_BASE: readonly (readonly [string, number])[] = [
  ['PL', 10],
  ['RO', 16],
  ['BG', 8],
  ['HR', 4],
  ['IT', 4],
  ['GR', 3],
  ['TR', 5],
  ['SY', 10],
  ['AF', 7],
  ['IQ', 4],
  ['IR', 2],
  ['ER', 2],
  ['UA', 3],
  ['RU', 3],
  ['IN', 5],
  ['VN', 1],
  ['CN', 1],
  ['XX', 2],
  ['ES', 2],
  ['PT', 2],
  ['GB', 1],
  ['US', 1],
];

function withExtra(extra: Record<string, number>, baseFactor: number): WeightedTable<string> {
  const weights = new Map<string, number>(IMMIGRATION_BASE.map(([c, w]) => [c, w * baseFactor]));
  for (const [c, w] of Object.entries(extra)) weights.set(c, (weights.get(c) ?? 0) + w);
  return weighted([...weights.entries()]);
}

const IMMIGRATION_REFUGEE_YEARS = withExtra({ SY: 38, AF: 14, IQ: 9, ER: 4, IR: 3, XX: 4 }, 0.5);
const IMMIGRATION_UKRAINE_2022 = withExtra({ UA: 60 }, 0.5);
const IMMIGRATION_UKRAINE_LATER = withExtra({ UA: 22 }, 1);
const IMMIGRATION_NORMAL = withExtra({}, 1);

/** Foreign immigrants from abroad arriving in `year`. */
export function immigrationForeignMix(year: number): WeightedTable<string> {
  if (year === 2015 || year === 2016) return IMMIGRATION_REFUGEE_YEARS;
  if (year === 2022) return IMMIGRATION_UKRAINE_2022;
  if (year >= 2023) return IMMIGRATION_UKRAINE_LATER;
  return IMMIGRATION_NORMAL;
}

/** Share of arriving households that come from abroad (the rest move in from elsewhere in Germany). */
export function immigrationShareOfArrivals(year: number): number {
  const byYear: Record<number, number> = {
    2015: 0.38,
    2016: 0.28,
    2017: 0.21,
    2018: 0.2,
    2019: 0.2,
    2020: 0.15,
    2021: 0.17,
    2022: 0.38,
  };
  return byYear[year] ?? (year < 2015 ? 0.2 : 0.24);
}

/** Share of households moving in from elsewhere in Germany that are foreign. */
export const MOVE_IN_FOREIGN_SHARE = 0.12;
/** Share of immigrating households that are foreign (the rest are Germans returning from abroad). */
export const IMMIGRATION_FOREIGN_SHARE = 0.8;

const EU = new Set(['PL', 'RO', 'BG', 'HR', 'IT', 'GR', 'ES', 'PT', 'NL', 'DK', 'FR', 'AT', 'SE']);
const PROTECTION_SEEKERS = new Set(['SY', 'AF', 'IQ', 'ER', 'IR', 'XX', 'SO']);

export type NationalityGroup = 'german' | 'eu' | 'protection' | 'ukraine' | 'turkey' | 'other';

/** Groups that behave differently in the synthetic model (migration, benefit receipt). */
export function nationalityGroup(nationality: string): NationalityGroup {
  if (nationality === GERMAN) return 'german';
  if (nationality === 'UA') return 'ukraine';
  if (nationality === 'TR') return 'turkey';
  if (PROTECTION_SEEKERS.has(nationality)) return 'protection';
  if (EU.has(nationality)) return 'eu';
  return 'other';
}
