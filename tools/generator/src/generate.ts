import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { COUNTY_CODE, MUNICIPALITIES } from '@sozialmonitor/regions';
import { assertCatalogs } from './addresses';
import { CountySimulation } from './county-simulation';
import { type CorrectionRates, DEFAULT_CORRECTION_RATES, DeliveryRouter } from './corrections';
import { type Day, formatDay, yearOf } from './dates';
import { DeliveryFile, type FileSummary } from './delivery-file';
import type { Format } from './encoders';
import { Identifiers } from './identifiers';
import { deriveRecords, type ProgramContext } from './programs';
import { Random } from './random';
import { referenceValueRecords } from './reference-values';
import { RECORD_ID_PREFIX, SOURCE_FIELDS, SOURCE_NAMES, type SourceName, type SourceRecord } from './sources';

/**
 * The generator run: simulate the county unit by unit, derive every source's records, route them
 * into delivery 1 and 2 and stream them into one file per source, delivery and format, then write
 * manifest.json. Deterministic for (seed, scale, from, today, formats).
 */
export interface GenerateOptions {
  scale: number;
  seed: number;
  out: string;
  from: Day;
  today: Day;
  /** True when `today` came from the clock rather than --today (recorded in the manifest). */
  todayFromClock: boolean;
  formats: readonly Format[];
  corrections?: CorrectionRates;
}

export interface Progress {
  done: number;
  total: number;
  records: number;
}

export interface SourceSummary {
  /** Records in delivery 1, spurious duplicates included. */
  delivery1: number;
  /** Records in delivery 2: corrections plus deletions. */
  delivery2: number;
  corrections: number;
  deletions: number;
}

export interface Manifest {
  generator: string;
  manifestVersion: 1;
  seed: number;
  scale: number;
  from: string;
  today: string;
  todayFrom: 'option' | 'clock';
  formats: Format[];
  fileNaming: string;
  deliveries: { delivery: number; content: string }[];
  sources: Record<SourceName, SourceSummary>;
  files: FileSummary[];
  /** Residents of the simulated truth (delivery 1 and 2 applied) on each Stichtag, by region. */
  populationAtStichtag: Record<string, Record<string, number>>;
}

/** Corrections for the latest reference year are more frequent: preliminary figures get revised. */
const PRELIMINARY_REVISION_SHARE = 0.3;

export async function generate(options: GenerateOptions, onProgress?: (p: Progress) => void): Promise<Manifest> {
  assertCatalogs();
  await mkdir(options.out, { recursive: true });
  const files = openFiles(options);
  const ids = new Identifiers(options.seed);
  const router = new DeliveryRouter(
    Random.stream(options.seed, 'corrections'),
    (s) => ids.recordId(RECORD_ID_PREFIX[s]),
    options.corrections ?? DEFAULT_CORRECTION_RATES,
  );
  const summary = Object.fromEntries(
    SOURCE_NAMES.map((s) => [s, { delivery1: 0, delivery2: 0, corrections: 0, deletions: 0 }]),
  ) as Record<SourceName, SourceSummary>;
  let records = 0;

  const emit = (source: SourceName, record: SourceRecord, correctionShare?: number): void => {
    const routed = router.route(source, record, correctionShare);
    const s = summary[source];
    for (const r of routed.first) for (const f of files.get(`${source}:1`)!) f.write(r);
    for (const r of routed.second) for (const f of files.get(`${source}:2`)!) f.write(r);
    s.delivery1 += routed.first.length;
    s.delivery2 += routed.second.length;
    if (routed.corrected) s.corrections++;
    if (routed.spurious) s.deletions++;
    records++;
  };

  const lastYear = yearOf(options.today) - 1;
  const firstYear = yearOf(options.from);
  for (const record of referenceValueRecords(
    Random.stream(options.seed, 'reference'),
    firstYear,
    lastYear,
    (id) => id,
  )) {
    emit('reference_values', record, record.year === lastYear ? PRELIMINARY_REVISION_SHARE : undefined);
  }

  const endDay = options.today + 1;
  const ctx: ProgramContext = {
    random: Random.stream(options.seed, 'programs'),
    ids,
    extractStart: options.from,
    endDay,
    emit,
  };
  const simulation = new CountySimulation(
    { scale: options.scale, from: options.from, today: options.today },
    {
      demography: Random.stream(options.seed, 'demography'),
      identity: Random.stream(options.seed, 'identity'),
      ids,
      endDay,
    },
    Random.stream(options.seed, 'arrivals'),
  );
  // Progress in thousandths of the expected work.
  const total = 1000;
  const all = [...files.values()].flat();
  for (const unit of simulation.units((p) => onProgress?.({ done: Math.floor(p.done * total), total, records }))) {
    deriveRecords(ctx, unit);
    // Backpressure: wait for every file whose stream buffer is full.
    const blocked = all.filter((f) => f.needsDrain);
    if (blocked.length > 0) await Promise.all(blocked.map((f) => f.drained()));
  }
  onProgress?.({ done: total, total, records });

  const summaries = await Promise.all(all.map((f) => f.close()));
  const manifest: Manifest = {
    generator: 'sozialmonitor synthetic county generator (tools/generator)',
    manifestVersion: 1,
    seed: options.seed,
    scale: options.scale,
    from: formatDay(options.from),
    today: formatDay(options.today),
    todayFrom: options.todayFromClock ? 'clock' : 'option',
    formats: [...options.formats],
    fileNaming: '<source>__<delivery>.<format> — the drop-folder naming of api.md; deliver 1 before 2',
    deliveries: [
      { delivery: 1, content: 'every record, a small share in an erroneous form, plus a few spurious duplicates' },
      {
        delivery: 2,
        content:
          'corrections (same recordId, right content) and retractions of the duplicates ({"recordId", "deleted": true})',
      },
    ],
    sources: summary,
    files: summaries,
    populationAtStichtag: populationTruth(simulation),
  };
  await writeFile(join(options.out, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

function openFiles(options: GenerateOptions): Map<string, DeliveryFile[]> {
  const files = new Map<string, DeliveryFile[]>();
  for (const source of SOURCE_NAMES) {
    for (const delivery of [1, 2]) {
      // Delivery 2 carries retractions, so its CSV has the `deleted` column.
      const fields = delivery === 1 ? SOURCE_FIELDS[source] : [...SOURCE_FIELDS[source], 'deleted'];
      files.set(
        `${source}:${delivery}`,
        options.formats.map((format) => {
          const name = `${source}__${delivery}.${format}`;
          return new DeliveryFile(join(options.out, name), name, source, delivery, format, fields);
        }),
      );
    }
  }
  return files;
}

function populationTruth(simulation: CountySimulation): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  simulation.checkpoints.forEach((day, k) => {
    const byRegion: Record<string, number> = {};
    let county = 0;
    for (const m of [...MUNICIPALITIES].sort((a, b) => a.ags.localeCompare(b.ags))) {
      const n = simulation.residents.get(m.ags)![k];
      byRegion[m.ags] = n;
      county += n;
    }
    out[formatDay(day)] = { [COUNTY_CODE]: county, ...byRegion };
  });
  return out;
}
