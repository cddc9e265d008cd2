import { MUNICIPALITIES, type Municipality } from '@sozialmonitor/regions';
import { Random } from './random';

/**
 * Addresses for synthetic households: a fixed street list per municipality (the same for every seed,
 * so a village keeps its streets), house numbers, and the real postal codes of the county's
 * municipalities. Street names are common German ones, not a claim that such a street exists there.
 */
/** A word list written as one comma-separated line (keeps data tables compact). */
const list = (text: string): readonly string[] => text.split(', ');

export interface Address {
  street: string;
  houseNumber: string;
  postalCode: string;
}

/** Postal codes per municipality (Helgoland has its own, 27498, outside the 25xxx/22xxx ranges). */
const POSTAL_CODES: Record<string, readonly string[]> = {
  Appen: ['25482'],
  Barmstedt: ['25355'],
  Bevern: ['25355'],
  Bilsen: ['25485'],
  Bönningstedt: ['25474'],
  Bokel: ['25364'],
  'Bokholt-Hanredder': ['25335'],
  'Borstel-Hohenraden': ['25494'],
  'Brande-Hörnerkirchen': ['25364'],
  Bullenkuhlen: ['25355'],
  Ellerbek: ['25474'],
  Ellerhoop: ['25373'],
  Elmshorn: ['25335', '25336', '25337'],
  'Groß Nordende': ['25436'],
  'Groß Offenseth-Aspern': ['25355'],
  Halstenbek: ['25469'],
  Haselau: ['25489'],
  Haseldorf: ['25489'],
  Hasloh: ['25474'],
  Heede: ['25355'],
  Heidgraben: ['25436'],
  Heist: ['25492'],
  Helgoland: ['27498'],
  Hemdingen: ['25485'],
  Hetlingen: ['25491'],
  Holm: ['25488'],
  'Klein Nordende': ['25336'],
  'Klein Offenseth-Sparrieshoop': ['25365'],
  'Kölln-Reisiek': ['25337'],
  Kummerfeld: ['25495'],
  Seester: ['25370'],
  Langeln: ['25485'],
  Lutzhorn: ['25355'],
  Moorrege: ['25436'],
  Neuendeich: ['25436'],
  Osterhorn: ['25364'],
  Pinneberg: ['25421'],
  Prisdorf: ['25497'],
  Quickborn: ['25451'],
  'Raa-Besenbek': ['25335'],
  Rellingen: ['25462'],
  Schenefeld: ['22869'],
  Seestermühe: ['25371'],
  'Seeth-Ekholt': ['25337'],
  Tangstedt: ['25499'],
  Tornesch: ['25436'],
  Uetersen: ['25436'],
  Wedel: ['22880'],
  Westerhorn: ['25364'],
};

const COMMON_STREETS: readonly string[] = list(
  "Hauptstraße, Bahnhofstraße, Schulstraße, Gartenstraße, Dorfstraße, Kirchenstraße, Lindenstraße, Birkenweg, Ahornweg, Eichenweg, Wiesenweg, Am Markt, Mühlenweg, Feldstraße, Rosenstraße, Friedrichstraße, Königstraße, Holstenstraße, Lornsenstraße, Moltkestraße, Ostlandstraße, Rantzauer Straße, Heidweg, Achtern Diek, Op'n Hoff, Norderstraße, Süderstraße, Marschweg, Geestweg, Am Sportplatz, Fichtenweg, Tannenweg, Buchenweg, Kastanienallee, Theodor-Storm-Straße, Klaus-Groth-Straße, Fritz-Reuter-Weg, Bismarckstraße, Blumenstraße, Parkstraße, Am Friedhof, Waldstraße, Poststraße, Mittelweg, Kurze Straße, Lange Straße, Grüner Weg, Auf der Heide, Im Winkel, Am Bach, Kampstraße, Koppelweg, Moorweg, Ernst-Barlach-Straße, Emil-Nolde-Weg, Thomas-Mann-Straße, Goethestraße, Schillerstraße, Lessingstraße, Uhlandstraße, Eichendorffweg, Beethovenstraße, Mozartweg, Amselweg, Drosselweg, Finkenweg, Meisenweg, Lerchenweg, Schwalbenweg, Kiebitzweg, Storchenweg, Möwenweg, Deichstraße, Elbstraße, Hafenstraße, Am Deich, Krückaustraße, Pinnaustraße, Am Rathaus, Rathausstraße, Wilhelmstraße, Luisenstraße, Damm, Hirtenweg, Stiegweg, Ringstraße, Tannenkamp, Eschenweg, Erlenweg, Ulmenweg, Pappelallee, Holunderweg, Weidenstieg, Rosenweg, Tulpenweg, Nelkenweg, Fliederweg, Sonnenweg, Brunnenstraße, Industriestraße, Gewerbestraße, Am Kamp, Steinkamp, Heideweg, Hasenweg, Fuchsweg, Dachsweg",
);

const TOWNS_FOR_ROAD_NAMES = list(
  'Pinneberger, Elmshorner, Wedeler, Uetersener, Tornescher, Quickborner, Barmstedter, Schenefelder, Hamburger, Kieler, Itzehoer',
);

export interface StreetCatalog {
  streets: readonly string[];
  postalCodes: readonly string[];
  maxHouseNumber: number;
}

const catalogs = new Map<string, StreetCatalog>();

function buildCatalog(m: Municipality): StreetCatalog {
  const random = Random.stream(0, `streets:${m.ags}`);
  const own = `${m.shortName}er`;
  const roads = TOWNS_FOR_ROAD_NAMES.filter((t) => t !== own).map((t) => `${t} Straße`);
  const pool = [...COMMON_STREETS];
  const wanted = Math.min(pool.length, Math.max(10, Math.round(m.inhabitantsEstimate / 300)));
  const streets: string[] = [];
  while (streets.length < wanted) streets.push(pool.splice(random.int(0, pool.length - 1), 1)[0]);
  const roadCount = m.inhabitantsEstimate > 10_000 ? 4 : 2;
  for (let i = 0; i < roadCount; i++) streets.push(roads.splice(random.int(0, roads.length - 1), 1)[0]);
  if (m.shortName === 'Helgoland') streets.push('Lung Wai', 'Am Südstrand', 'Hafenstraße', 'Kurpromenade');
  const postalCodes = POSTAL_CODES[m.shortName];
  if (!postalCodes) throw new Error(`no postal code known for municipality ${m.ags}`);
  return {
    streets: [...new Set(streets)],
    postalCodes,
    maxHouseNumber: m.inhabitantsEstimate > 10_000 ? 180 : m.inhabitantsEstimate > 2_000 ? 90 : 45,
  };
}

export function streetCatalog(m: Municipality): StreetCatalog {
  let c = catalogs.get(m.ags);
  if (!c) {
    c = buildCatalog(m);
    catalogs.set(m.ags, c);
  }
  return c;
}

/** A random address in municipality `m`. */
export function randomAddress(random: Random, m: Municipality): Address {
  const c = streetCatalog(m);
  // Low numbers are more common than high ones (streets are short more often than long).
  const n = 1 + Math.floor(c.maxHouseNumber * Math.pow(random.next(), 1.6));
  const suffix = random.chance(0.08) ? random.pick(['a', 'b', 'c']) : '';
  return { street: random.pick(c.streets), houseNumber: `${n}${suffix}`, postalCode: random.pick(c.postalCodes) };
}

/** Every municipality has a catalog (checked at start, so a gap fails loudly and early). */
export function assertCatalogs(): void {
  for (const m of MUNICIPALITIES) streetCatalog(m);
}
