import { parse } from 'csv-parse/sync';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sourceDeclaration, validateRecord } from '@sozialmonitor/contracts';
import { INDICATOR_IDS } from '@sozialmonitor/contracts/indicator-ids';
import { MUNICIPALITIES } from '@sozialmonitor/regions';
import { dayOf } from './dates';
import { generate, type Manifest } from './generate';
import { SOURCE_FIELDS, SOURCE_NAMES } from './sources';
import { CountyStatistics } from './verification/county-statistics';
import { finalRecords } from './verification/final-records';
import { violations } from './verification/record-rules';

/**
 * The generator at scale 0.02 (about 6,500 inhabitants): every record of every file satisfies
 * spec/sources.md, the three formats carry the same records, the final state (delivery 1 + 2) is a
 * consistent register (paired moves, program spells inside residence), output is deterministic, and
 * rates are in plausible ranges.
 */
type Row = Record<string, unknown>;
const SCALE = 0.02;
const TODAY = dayOf(2024, 6, 30);
const FROM = dayOf(2015, 1, 1);
const PERSON_SOURCES = ['sgb2', 'unemployment', 'youth_welfare', 'basic_income_elderly'] as const;

const tmpDirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'generator-spec-'));
  tmpDirs.push(dir);
  return dir;
}
afterAll(() => tmpDirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function run(seed: number, out = tempDir()): Promise<{ dir: string; manifest: Manifest }> {
  const manifest = await generate({
    scale: SCALE,
    seed,
    out,
    from: FROM,
    today: TODAY,
    todayFromClock: false,
    formats: ['csv', 'ndjson', 'json'],
  });
  return { dir: out, manifest };
}

function readNdjson(dir: string, source: string, delivery: number): Row[] {
  return readFileSync(join(dir, `${source}__${delivery}.ndjson`), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Row);
}

async function final(dir: string, source: string): Promise<Row[]> {
  const out: Row[] = [];
  for await (const r of finalRecords(dir, source)) out.push(r);
  return out;
}

function groupBy(rows: Row[], key: string): Map<string, Row[]> {
  const m = new Map<string, Row[]>();
  for (const r of rows) {
    const k = r[key] as string;
    const list = m.get(k);
    if (list) list.push(r);
    else m.set(k, [r]);
  }
  return m;
}

/** Completed years on `d` (exact birthday; the indicators' month rule is in CountyStatistics). */
function exactAge(birthDate: string, d: string): number {
  return Number(d.slice(0, 4)) - Number(birthDate.slice(0, 4)) - (d.slice(5) < birthDate.slice(5) ? 1 : 0);
}

/** Is [from, to) inside the union of the person's residence spells in `ags` (initial spells reach back to birth)? */
function insideResidence(spells: Row[], ags: string, from: string, to: string | null): boolean {
  const inAgs = spells
    .filter((s) => s.ags === ags)
    .map((s) => ({
      from: s.startReason === 'initial' ? (s.birthDate as string) : (s.validFrom as string),
      to: s.validTo as string | null,
    }))
    .sort((a, b) => a.from.localeCompare(b.from));
  let cursor = from;
  for (const s of inAgs) {
    if (s.from > cursor) continue;
    if (s.to === null) return true;
    if (s.to > cursor) cursor = s.to;
    if (to !== null && cursor >= to) return true;
  }
  return false;
}

describe('generator at scale 0.02', () => {
  let dir: string;
  let manifest: Manifest;
  let population: Row[];
  let byPerson: Map<string, Row[]>;
  // Every source's final state, read once here: reading and merging the files inside each test (several
  // sources per test, some twice) made those tests exceed jest's 5 s per test when the CPU was shared
  // (the unit suite failed so while other suites ran); the setup has a budget of its own.
  const finals = new Map<string, Row[]>();
  const finalOf = (source: string): Row[] => finals.get(source)!;

  beforeAll(async () => {
    ({ dir, manifest } = await run(7));
    for (const source of SOURCE_NAMES) if (source !== 'reference_values') finals.set(source, await final(dir, source));
    population = finalOf('population');
    byPerson = groupBy(population, 'personId');
  }, 120_000);

  it('writes one file per source, delivery and format, as listed in the manifest with their record counts', () => {
    const files = readdirSync(dir).sort();
    expect(files).toContain('manifest.json');
    expect(manifest.files).toHaveLength(SOURCE_NAMES.length * 2 * 3);
    for (const f of manifest.files) {
      expect(files).toContain(f.path);
      const lines = readFileSync(join(dir, f.path), 'utf8').split('\n').filter(Boolean).length;
      expect(f.format === 'ndjson' ? lines : f.format === 'csv' ? lines - 1 : f.records).toBe(f.records);
      expect(
        createHash('sha256')
          .update(readFileSync(join(dir, f.path)))
          .digest('hex'),
      ).toBe(f.sha256);
    }
    expect(manifest).toMatchObject({
      seed: 7,
      scale: SCALE,
      from: '2015-01-01',
      today: '2024-06-30',
      todayFrom: 'option',
    });
  });

  it('every record of every file satisfies the rules of spec/sources.md; record ids are unique per source', () => {
    const ids = new Set<string>(INDICATOR_IDS);
    for (const source of SOURCE_NAMES) {
      const seen = new Set<string>();
      for (const delivery of [1, 2]) {
        const rows = readNdjson(dir, source, delivery);
        if (delivery === 1 || source === 'population') expect(rows.length).toBeGreaterThan(0);
        rows.forEach((r, index) => {
          const broken = violations(source, r, ids);
          if (broken.length > 0)
            throw new Error(`${source}__${delivery} record ${index} (${String(r.recordId)}): ${broken.join('; ')}`);
          if (delivery === 1) {
            if (seen.has(r.recordId as string)) throw new Error(`${source}: duplicate recordId ${String(r.recordId)}`);
            seen.add(r.recordId as string);
          } else if (!seen.has(r.recordId as string)) throw new Error(`${source}__2 refers to an unknown recordId`);
        });
      }
    }
  });

  it('every record passes the ingestion validator of libs/contracts, as JSON and as CSV', () => {
    for (const source of SOURCE_NAMES) {
      const declaration = sourceDeclaration(source)!;
      for (const delivery of [1, 2]) {
        readNdjson(dir, source, delivery).forEach((raw, index) => {
          const result = validateRecord(declaration, raw, { index });
          if (!result.ok) throw new Error(`${source}__${delivery}.ndjson: ${JSON.stringify(result.errors)}`);
        });
        const csv = parse(readFileSync(join(dir, `${source}__${delivery}.csv`), 'utf8'), { columns: true }) as Record<
          string,
          string
        >[];
        csv.forEach((raw, index) => {
          const result = validateRecord(declaration, raw, { index, line: index + 2 }, 'csv');
          if (!result.ok) throw new Error(`${source}__${delivery}.csv: ${JSON.stringify(result.errors)}`);
        });
      }
    }
  });

  it('writes the same records as CSV (header = sources.md fields), NDJSON and JSON array', () => {
    for (const source of SOURCE_NAMES) {
      for (const delivery of [1, 2]) {
        const ndjson = readNdjson(dir, source, delivery);
        const array = JSON.parse(readFileSync(join(dir, `${source}__${delivery}.json`), 'utf8')) as Row[];
        expect(JSON.stringify(array)).toBe(JSON.stringify(ndjson));
        const csvText = readFileSync(join(dir, `${source}__${delivery}.csv`), 'utf8');
        const fields = delivery === 1 ? [...SOURCE_FIELDS[source]] : [...SOURCE_FIELDS[source], 'deleted'];
        expect(csvText.split('\n')[0]).toBe(fields.join(','));
        const csv = parse(csvText, { columns: true }) as Record<string, string>[];
        expect(csv).toHaveLength(ndjson.length);
        csv.forEach((row, i) => {
          for (const f of fields) {
            const v = ndjson[i][f];
            if (row[f] !== (v === null || v === undefined ? '' : String(v)))
              throw new Error(`${source}__${delivery}.csv row ${i} field ${f} differs from NDJSON`);
          }
        });
      }
    }
  });

  it('delivery 2 corrects records (same id, other content) and retracts spurious duplicates', () => {
    for (const source of ['population', 'sgb2', 'unemployment', 'reference_values']) {
      const first = new Map(readNdjson(dir, source, 1).map((r) => [r.recordId as string, r]));
      const second = readNdjson(dir, source, 2);
      const finalState = new Map(first);
      for (const r of second) if (r.deleted !== true) finalState.set(r.recordId as string, r);
      const corrections = second.filter((r) => r.deleted !== true);
      const deletions = second.filter((r) => r.deleted === true);
      expect(corrections.length).toBeGreaterThan(0);
      if (source === 'population') expect(deletions.length).toBeGreaterThan(0);
      for (const c of corrections) expect(first.get(c.recordId as string)).not.toEqual(c);
      for (const d of deletions) {
        expect(Object.keys(d)).toEqual(['recordId', 'deleted']);
        const duplicate = first.get(d.recordId as string)!;
        // The retracted record duplicates a real one (a double registration).
        const { recordId: _, ...content } = duplicate;
        expect(
          [...finalState.values()].some(
            (r) => r.recordId !== d.recordId && Object.entries(content).every(([k, v]) => r[k] === v),
          ),
        ).toBe(true);
      }
      expect(manifest.sources[source as 'population'].delivery2).toBe(second.length);
    }
  });

  it('uses the 49 municipalities with register-like ids, area postal codes and realistic names', () => {
    const agsSeen = new Set(population.map((r) => r.ags));
    expect(agsSeen.size).toBe(49);
    const postal = new Map(MUNICIPALITIES.map((m) => [m.ags, new Set<string>()]));
    for (const r of population) postal.get(r.ags as string)!.add(r.postalCode as string);
    for (const [ags, codes] of postal) {
      for (const c of codes) expect(ags === '01056025' ? c === '27498' : /^2[25]\d{3}$/.test(c)).toBe(true);
    }
    expect(population.every((r) => /^\d{10}$/.test(r.personId as string))).toBe(true);
    expect(
      population.every(
        (r) => /^[\p{L}][\p{L}' .-]*$/u.test(`${r.firstName as string}`) && /^[\p{L}]/u.test(r.lastName as string),
      ),
    ).toBe(true);
    const sgb2 = readNdjson(dir, 'sgb2', 1);
    expect(sgb2.every((r) => /^22402BG\d{7}$/.test(r.householdId as string))).toBe(true);
  });

  it('population: each person has a gap-free chain of spells; moves inside the county are paired on the same day', () => {
    let internalMoves = 0;
    let addressChanges = 0;
    // Plain checks instead of expect() per spell: there are tens of thousands of spells.
    const fail = (personIndex: number, rule: string): never => {
      throw new Error(`person #${personIndex}: ${rule}`);
    };
    let index = 0;
    for (const [, spells] of byPerson) {
      index++;
      spells.sort((a, b) => (a.validFrom as string).localeCompare(b.validFrom as string));
      const first = spells[0];
      if (first.startReason === 'initial' && first.validFrom !== '2015-01-01')
        fail(index, 'initial spell starts at --from');
      if (first.startReason === 'birth' && first.validFrom !== first.birthDate)
        fail(index, 'birth spell starts at birth');
      if (!['initial', 'birth', 'move_in', 'immigration'].includes(first.startReason as string))
        fail(index, 'first spell starts with an arrival');
      for (let i = 0; i < spells.length; i++) {
        const s = spells[i];
        for (const f of ['birthDate', 'sex', 'nationality', 'firstName', 'lastName'])
          if (s[f] !== first[f]) fail(index, `${f} is the same in every spell`);
        if ((s.validFrom as string) > '2024-06-30') fail(index, 'no spell starts after today');
        const next = spells[i + 1];
        if (!next) continue;
        // Nobody returns after leaving the county: the next spell starts the day this one ends.
        if (s.validTo === null || next.validFrom !== s.validTo) fail(index, 'spells form a gap-free chain');
        if (s.endReason === 'death') fail(index, 'nothing after death');
        if (s.endReason === 'address_change') {
          if (next.validFrom !== s.validTo || next.startReason !== 'address_change' || next.ags !== s.ags)
            fail(index, 'address change pairs in the same municipality');
          addressChanges++;
        }
        if (next.startReason === 'address_change' && (s.validTo !== next.validFrom || s.endReason !== 'address_change'))
          fail(index, 'address change pairs');
        if (s.endReason === 'move_out' && next.validFrom === s.validTo) {
          if (next.startReason !== 'move_in' || next.ags === s.ags)
            fail(index, 'internal move: move_out and move_in on the same day between municipalities');
          internalMoves++;
        }
        if (next.startReason === 'move_in' && next.validFrom === s.validTo && s.endReason !== 'move_out')
          fail(index, 'internal move pairs');
      }
    }
    expect(internalMoves).toBeGreaterThan(50);
    expect(addressChanges).toBeGreaterThan(200);
  });

  it('program spells lie inside the person’s residence in the same municipality and carry the person’s attributes', async () => {
    for (const source of [...PERSON_SOURCES, 'childcare'] as const) {
      const idField = source === 'childcare' ? 'childId' : 'personId';
      const rows = finalOf(source);
      expect(rows.length).toBeGreaterThan(source === 'youth_welfare' || source === 'basic_income_elderly' ? 10 : 50);
      for (const r of rows) {
        const spells = byPerson.get(r[idField] as string);
        if (!spells) throw new Error(`${source} ${String(r.recordId)}: person not in the register`);
        if (!insideResidence(spells, r.ags as string, r.validFrom as string, r.validTo as string | null)) {
          throw new Error(`${source} ${String(r.recordId)}: outside the residence`);
        }
        expect(r.birthDate).toBe(spells[0].birthDate);
        if ('sex' in r) expect(r.sex).toBe(spells[0].sex);
        if ('nationality' in r) expect(r.nationality).toBe(spells[0].nationality);
      }
    }
  });

  it('SGB II, unemployment and Grundsicherung fit together', async () => {
    const sgb2 = finalOf('sgb2');
    const sgb2ByPerson = groupBy(sgb2, 'personId');
    const overlaps = (a: Row, b: Row): boolean =>
      (a.validFrom as string) < ((b.validTo as string | null) ?? '9999') &&
      (b.validFrom as string) < ((a.validTo as string | null) ?? '9999');
    for (const r of sgb2) {
      expect(r.employable).toBe(exactAge(r.birthDate as string, r.validFrom as string) >= 15);
      expect(exactAge(r.birthDate as string, r.validFrom as string)).toBeLessThan(65);
    }
    for (const [, spells] of sgb2ByPerson)
      for (let i = 0; i < spells.length; i++)
        for (let j = i + 1; j < spells.length; j++) expect(overlaps(spells[i], spells[j])).toBe(false);
    const households = groupBy(sgb2, 'householdId');
    expect([...households.values()].some((members) => new Set(members.map((m) => m.personId)).size >= 3)).toBe(true);

    for (const u of finalOf('unemployment')) {
      const own = sgb2ByPerson.get(u.personId as string) ?? [];
      if (u.legalBasis === 'sgb2')
        expect(own.some((s) => (s.validFrom as string) <= (u.validFrom as string) && overlaps(s, u))).toBe(true);
      else expect(own.some((s) => overlaps(s, u))).toBe(false);
      const age = exactAge(u.birthDate as string, u.validFrom as string);
      expect(age >= 18 && age < 65).toBe(true);
    }
    for (const g of finalOf('basic_income_elderly')) {
      expect((sgb2ByPerson.get(g.personId as string) ?? []).some((s) => overlaps(s, g))).toBe(false);
      const age = exactAge(g.birthDate as string, g.validFrom as string);
      expect(g.reason === 'age' ? age >= 65 : age >= 18 && age < 65).toBe(true);
    }
  });

  it('youth welfare, childcare and housing benefit respect their age and household rules', async () => {
    for (const y of finalOf('youth_welfare')) {
      const startAge = exactAge(y.birthDate as string, y.validFrom as string);
      expect(startAge).toBeLessThan(21);
      if (y.paragraph === '41') expect(startAge).toBeGreaterThanOrEqual(18);
      else if (y.validTo !== null) expect(exactAge(y.birthDate as string, y.validTo as string)).toBeLessThanOrEqual(18);
    }
    for (const c of finalOf('childcare')) {
      expect(exactAge(c.birthDate as string, c.validFrom as string)).toBeLessThan(7);
      expect((c.hoursPerWeek as number) >= 15 && (c.hoursPerWeek as number) <= 50).toBe(true);
      if (c.careType === 'tagespflege') expect(exactAge(c.birthDate as string, c.validFrom as string)).toBeLessThan(3);
    }
    const housing = finalOf('housing_benefit');
    for (const [, approvals] of groupBy(housing, 'householdId')) {
      approvals.sort((a, b) => (a.validFrom as string).localeCompare(b.validFrom as string));
      for (let i = 1; i < approvals.length; i++)
        expect((approvals[i].validFrom as string) >= (approvals[i - 1].validTo as string)).toBe(true);
      for (const a of approvals) {
        expect((a.validFrom as string).endsWith('-01')).toBe(true);
        expect((a.householdSize as number) >= 1 && (a.householdSize as number) <= 6).toBe(true);
      }
    }
  });

  it('reference values: every catalogue indicator but the social status index for 01 and DG and every year 2015–2023, plausible', () => {
    const rows = readNdjson(dir, 'reference_values', 1).filter((r) => (r.recordId as string).startsWith('rv:'));
    expect(rows).toHaveLength((INDICATOR_IDS.length - 1) * 2 * 9);
    expect(rows.some((r) => r.indicatorId === 'social_status_index')).toBe(false);
    const key = (r: Row): string => `${r.indicatorId as string}:${r.regionCode as string}:${r.year as number}`;
    expect(new Set(rows.map(key)).size).toBe(rows.length);
    const value = (id: string, region: string, year: number): number =>
      rows.find((r) => key(r) === `${id}:${region}:${year}`)!.value as number;
    for (let y = 2015; y <= 2023; y++) {
      expect(value('births_per_1000', '01', y)).toBeGreaterThan(7);
      expect(value('births_per_1000', '01', y)).toBeLessThan(9.2);
      expect(value('births_per_1000', 'DG', y)).toBeGreaterThan(8);
      expect(value('births_per_1000', 'DG', y)).toBeLessThan(10);
      expect(value('share_female_pct', 'DG', y)).toBeCloseTo(50.7, 0);
      expect(value('unemployment_rate_pct', '01', y)).toBeGreaterThan(3.5);
      expect(value('population_change_pct', 'DG', y)).toBeGreaterThan(-0.5);
    }
    expect(rows.filter((r) => r.regionCode === 'DG').every((r) => r.publisher === 'Statistisches Bundesamt')).toBe(
      true,
    );
    expect(rows.filter((r) => r.regionCode === '01').every((r) => r.publisher === 'Statistikamt Nord')).toBe(true);
  });

  it('is plausible: population on its path, German-county age structure and rates', async () => {
    const stats = new CountyStatistics(2015, 2023);
    for (const r of population) stats.add('population', r);
    stats.finishMigration();
    for (const s of ['sgb2', 'unemployment', 'childcare', 'youth_welfare', 'housing_benefit', 'basic_income_elderly'])
      for (const r of finalOf(s)) stats.add(s, r);
    const years = [2016, 2017, 2018, 2019, 2020, 2021, 2022, 2023].map((y) => stats.indicators(y));
    const mean = (k: string): number => years.reduce((s, v) => s + v[k], 0) / years.length;
    const y2023 = stats.indicators(2023);
    expect(Math.abs(y2023.population / (323_762 * SCALE) - 1)).toBeLessThan(0.03);
    expect(manifest.populationAtStichtag['2023-12-31']['01056']).toBe(y2023.population);
    const ranges: [string, number, number][] = [
      ['share_under_18_pct', 15, 20],
      ['share_67_plus_pct', 17, 24],
      ['share_80_plus_pct', 5, 10],
      ['mean_age', 42, 47],
      ['share_female_pct', 49.5, 52.5],
      ['share_foreign_pct', 8, 14],
      ['births_per_1000', 6.5, 10.5],
      ['deaths_per_1000', 9, 14],
      ['in_migration_per_1000', 30, 75],
      ['out_migration_per_1000', 25, 65],
      ['internal_moves_per_1000', 8, 30],
      ['sgb2_rate_pct', 5, 10],
      ['child_poverty_rate_pct', 7, 17],
      ['unemployment_rate_pct', 2.5, 5.5],
      ['unemployed_sgb2_share_pct', 45, 75],
      ['childcare_rate_under_3_pct', 25, 42],
      ['childcare_rate_3_to_5_pct', 85, 98],
      ['youth_welfare_per_1000_under_21', 12, 30],
      ['youth_welfare_residential_share_pct', 18, 45],
      ['basic_income_elderly_rate_pct', 1.8, 4.2],
      ['housing_benefit_households_per_1000', 3, 12],
    ];
    for (const [k, lo, hi] of ranges) {
      const v = mean(k);
      if (!(v >= lo && v <= hi)) throw new Error(`${k} averages ${v.toFixed(2)}, outside [${lo}, ${hi}]`);
    }
    // Wohngeld Plus (2023) roughly doubled the number of households.
    expect(y2023.housing_benefit_households_per_1000).toBeGreaterThan(
      1.4 * stats.indicators(2022).housing_benefit_households_per_1000,
    );
  }, 30_000);

  it('is deterministic: the same seed gives identical bytes, another seed other data', async () => {
    const small = async (seed: number): Promise<{ dir: string; manifest: Manifest }> => {
      const out = tempDir();
      const m = await generate({
        scale: 0.005,
        seed,
        out,
        from: FROM,
        today: TODAY,
        todayFromClock: false,
        formats: ['csv', 'ndjson', 'json'],
      });
      return { dir: out, manifest: m };
    };
    const [a, b, c] = [await small(7), await small(7), await small(8)];
    for (const f of a.manifest.files)
      expect(readFileSync(join(b.dir, f.path)).equals(readFileSync(join(a.dir, f.path)))).toBe(true);
    expect(readFileSync(join(b.dir, 'manifest.json'), 'utf8')).toBe(readFileSync(join(a.dir, 'manifest.json'), 'utf8'));
    const hash = (m: Manifest): string => m.files.find((f) => f.path === 'population__1.ndjson')!.sha256;
    expect(hash(c.manifest)).not.toBe(hash(a.manifest));
  }, 60_000);
});
