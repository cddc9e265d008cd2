import { MUNICIPALITIES, COUNTY_CODE } from '@sozialmonitor/regions';
import type { JsonAnswer, PublicationPaths } from '@sozialmonitor/contracts/http';
import type { Manifest } from '../../generator/src/generate';

/** The answers as publication's OpenAPI document declares them (generated types: a drift fails the compile). */
type ValuesAnswer = JsonAnswer<PublicationPaths, '/api/v1/indicators/{id}/values'>;
type CatalogueAnswer = JsonAnswer<PublicationPaths, '/api/v1/indicators'>;
type ApiValue = ValuesAnswer['values'][number];

async function values(base: string, indicator: string, query: string): Promise<ApiValue[]> {
  const res = await fetch(`${base}/api/v1/indicators/${indicator}/values?${query}`);
  if (!res.ok) throw new Error(`GET /api/v1/indicators/${indicator}/values?${query} answered ${res.status}`);
  return ((await res.json()) as ValuesAnswer).values;
}

const fmt = (v: number | null | undefined, suppressed = false) =>
  suppressed ? '(supp.)' : v === null || v === undefined ? '–' : v.toFixed(2);

/** The short report at the end of the demo: what a planner would look at first. */
export async function printReport(base: string, manifest: Manifest, firstDeliveryPublishedAt?: string): Promise<void> {
  const lastYear = new Date().getUTCFullYear() - 1;
  const largest = [...MUNICIPALITIES].sort((a, b) => b.inhabitantsEstimate - a.inhabitantsEstimate).slice(0, 5);
  const regions = [...largest.map((m) => m.ags), COUNTY_CODE];
  const query = `${regions.map((r) => `region=${r}`).join('&')}&from=2015&to=${lastYear}`;
  const births = await values(base, 'births_per_1000', query);

  console.log(
    `\nBirth rate (live births per 1,000 inhabitants) of the five largest municipalities, ${2015}–${lastYear}`,
  );
  const table: Record<string, Record<string, string>> = {};
  for (let y = 2015; y <= lastYear; y++) {
    const row: Record<string, string> = {};
    for (const m of largest) {
      const v = births.find((b) => b.region.code === m.ags && b.period === String(y));
      row[m.shortName] = fmt(v?.value, v?.suppressed);
    }
    const county = births.find((b) => b.region.code === COUNTY_CODE && b.period === String(y));
    row['Kreis Pinneberg'] = fmt(county?.value, county?.suppressed);
    row['Schleswig-Holstein'] = fmt(county?.comparison.state);
    row['Deutschland'] = fmt(county?.comparison.germany);
    table[String(y)] = row;
  }
  console.table(table);

  // Disclosure control at a glance: every indicator for every region in the last year.
  const catalogue = (await (await fetch(`${base}/api/v1/indicators`)).json()) as CatalogueAnswer;
  const ids = catalogue.indicators.map((i) => i.id);
  let total = 0;
  let revised = 0;
  let corrected = 0;
  const suppressed: Record<string, number> = {};
  const undefinedValues: Record<string, number> = {};
  const figure = (v: ApiValue | undefined) => (v?.suppressed ? 'suppressed' : String(v?.value));
  for (const id of ids) {
    const period = `from=${lastYear}&to=${lastYear}`;
    const before = firstDeliveryPublishedAt
      ? new Map(
          (await values(base, id, `${period}&asOf=${encodeURIComponent(firstDeliveryPublishedAt)}`)).map((v) => [
            v.region.code,
            v,
          ]),
        )
      : undefined;
    for (const v of await values(base, id, period)) {
      total++;
      if (v.revised) revised++;
      if (before && figure(before.get(v.region.code)) !== figure(v)) corrected++;
      if (v.suppressed) suppressed[v.reason ?? 'suppressed'] = (suppressed[v.reason ?? 'suppressed'] ?? 0) + 1;
      else if (v.value === null)
        undefinedValues[v.reason ?? 'no value'] = (undefinedValues[v.reason ?? 'no value'] ?? 0) + 1;
    }
  }
  const suppressedTotal = Object.values(suppressed).reduce((s, n) => s + n, 0);
  console.log(
    `Disclosure control, ${lastYear}: ${suppressedTotal} of ${total} published values (${ids.length} indicators × 49 municipalities and the county) are suppressed`,
  );
  for (const [reason, n] of Object.entries(suppressed)) {
    const why =
      reason === 'primary'
        ? 'a count it is computed from is 1 or 2 (or, for a share, the rest is)'
        : reason === 'secondary'
          ? 'it would let a primary-suppressed value be recomputed from the county total'
          : '';
    console.log(`  ${String(n).padStart(5)} ${reason}${why ? `: ${why}` : ''}`);
  }
  for (const [reason, n] of Object.entries(undefinedValues))
    console.log(`  ${String(n).padStart(5)} without a value (${reason})`);
  const delivery2 = Object.values(manifest.sources).reduce(
    (n, s) => ({ corrections: n.corrections + s.corrections, deletions: n.deletions + s.deletions }),
    { corrections: 0, deletions: 0 },
  );
  if (firstDeliveryPublishedAt)
    console.log(
      `Corrections, ${lastYear}: delivery 2 (${delivery2.corrections} corrected and ${delivery2.deletions} retracted records) changed ${corrected} of ${total} published values;` +
        `\n  ?asOf=${firstDeliveryPublishedAt} answers with the values as published before it;` +
        `\n  ${revised} carry "revised": true` +
        (revised > corrected
          ? ` — the other ${revised - corrected} were first published while delivery 1 was still arriving` +
            ' (kpi-calculation publishes after RECOMPUTE_DELAY_MS of quiet in the lake)'
          : ''),
    );
  else console.log(`Revised, ${lastYear}: ${revised} of ${total} values differ from their first publication`);

  // The generator knows the truth: the published county population must equal it.
  const truth = manifest.populationAtStichtag[`${lastYear}-12-31`]?.[COUNTY_CODE];
  const published = (await values(base, 'population', `region=${COUNTY_CODE}&from=${lastYear}&to=${lastYear}`))[0]
    ?.value;
  if (truth !== undefined)
    console.log(
      `County population at ${lastYear}-12-31: published ${published}, generated truth ${truth} ${published === truth ? '✔' : '✘ differs'}`,
    );

  const elmshorn = MUNICIPALITIES.find((m) => m.shortName === 'Elmshorn')!;
  console.log(`
Ask the API yourself:
  How has the birth rate of Elmshorn developed since 2015 (with county, state and Germany)?
    curl '${base}/api/v1/indicators/births_per_1000/values?region=${elmshorn.ags}&from=2015&to=${lastYear}'
  Every indicator of Elmshorn in ${lastYear}:   curl '${base}/api/v1/regions/${elmshorn.ags}/profile?year=${lastYear}'
  The catalogue:                         curl '${base}/api/v1/indicators'
  As CSV:                                curl -H 'Accept: text/csv' '${base}/api/v1/indicators/population/values?from=2015'
  API documentation:                     ${base}/api/docs
  Live changes (server-sent events):     curl -N '${base}/api/v1/stream'`);
}
