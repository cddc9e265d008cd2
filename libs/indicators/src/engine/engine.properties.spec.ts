import type { LakeMessage, LakeRecord } from '@sozialmonitor/contracts';
import fc from 'fast-check';
import { defaultCatalogue } from '../catalogue/catalogue';
import { compileFormula } from '../expression/compile';
import { COUNTY, ELMSHORN, PINNEBERG, WEDEL } from '../testing/lake-fixtures';
import { formatDay, OPEN_END, parseDay } from '../time/day';
import { eventWindow, resolvePeriod } from '../time/period';
import { IndicatorEngine } from './indicator-engine';

// Properties of the engine over random small lakes: results do not depend on the order or the
// batching of records, an incremental update equals a rebuild from the final state, re-applying
// changes nothing, and P()/B/IN/OUT agree with a naive count written straight from indicators.md.

const REGIONS = [ELMSHORN, PINNEBERG, WEDEL];
const ALL_REGIONS = [...REGIONS, COUNTY];
const FIRST = parseDay('2019-06-01');
const STICHTAGE = ['2020', '2021', '2022', '2023', '2024', '2021-02-28', '2024-02-29', '2022-07-15'].map((p) =>
  resolvePeriod(p),
);
const catalogue = defaultCatalogue();

const day = fc.integer({ min: 0, max: 5 * 365 }).map((n) => FIRST + n);
const region = fc.constantFrom(...REGIONS);
const birthMonth = fc
  .tuple(fc.integer({ min: 1930, max: 2022 }), fc.integer({ min: 1, max: 12 }))
  .map(([y, m]) => `${y}-${String(m).padStart(2, '0')}`);
const sex = fc.constantFrom('m', 'f', 'd', 'x');
const nationalityGroup = fc.constantFrom('german', 'foreign');

/** A person's residence history: a chain of spells (each may overlap the next or leave a gap). */
const personSpells = fc.record({
  birthMonth,
  sex,
  nationalityGroup,
  start: day,
  startReason: fc.constantFrom('initial', 'birth', 'move_in', 'immigration'),
  steps: fc.array(
    fc.record({
      length: fc.integer({ min: 1, max: 500 }),
      overlap: fc.integer({ min: -30, max: 30 }),
      ags: region,
      flip: fc.boolean(),
    }),
    { minLength: 1, maxLength: 3 },
  ),
  lastEnd: fc.option(fc.constantFrom('move_out', 'emigration', 'death'), { nil: null }),
});

const spellFields = fc.record({
  ags: region,
  from: day,
  length: fc.option(fc.integer({ min: 1, max: 900 }), { nil: null }),
});
const otherRecord = fc.oneof(
  fc.record({
    kind: fc.constant('sgb2'),
    s: spellFields,
    person: fc.integer({ min: 1, max: 6 }),
    household: fc.integer({ min: 1, max: 3 }),
    employable: fc.boolean(),
    birthMonth,
    sex,
    nationalityGroup,
  }),
  fc.record({
    kind: fc.constant('youth_welfare'),
    s: spellFields,
    person: fc.integer({ min: 1, max: 6 }),
    paragraph: fc.constantFrom('27', '33', '34', '35a'),
    birthMonth,
    sex,
  }),
  fc.record({
    kind: fc.constant('housing_benefit'),
    s: spellFields,
    household: fc.integer({ min: 1, max: 4 }),
    size: fc.integer({ min: 1, max: 6 }),
  }),
  fc.record({
    kind: fc.constant('childcare'),
    s: spellFields,
    person: fc.integer({ min: 1, max: 6 }),
    hours: fc.integer({ min: 10, max: 50 }),
    birthMonth,
  }),
  fc.record({
    kind: fc.constant('unemployment'),
    s: spellFields,
    person: fc.integer({ min: 1, max: 6 }),
    legalBasis: fc.constantFrom('sgb2', 'sgb3'),
    birthMonth,
    sex,
    nationalityGroup,
  }),
  fc.record({
    kind: fc.constant('basic_income_elderly'),
    s: spellFields,
    person: fc.integer({ min: 1, max: 6 }),
    reason: fc.constantFrom('age', 'reduced_earning_capacity'),
    birthMonth,
    sex,
  }),
);

const lake = fc
  .record({ people: fc.array(personSpells, { maxLength: 6 }), others: fc.array(otherRecord, { maxLength: 8 }) })
  .map(({ people, others }) => {
    const records: LakeRecord[] = [];
    people.forEach((p, i) => {
      let from = p.start;
      let startReason = p.startReason;
      p.steps.forEach((step, k) => {
        const last = k === p.steps.length - 1;
        const to = last && p.lastEnd === null ? null : from + step.length;
        records.push({
          source: 'population',
          recordId: `pop-${i}-${k}`,
          personId: `person-${i}`,
          birthMonth: p.birthMonth,
          sex: p.sex,
          nationalityGroup: step.flip ? (p.nationalityGroup === 'german' ? 'foreign' : 'german') : p.nationalityGroup,
          ags: step.ags,
          validFrom: formatDay(from),
          validTo: to === null ? null : formatDay(to),
          startReason,
          endReason: to === null ? null : last ? p.lastEnd : 'move_out',
        });
        if (to !== null) from = to + step.overlap; // the next spell starts at, before or after the end
        startReason = step.overlap === 0 ? 'move_in' : 'immigration';
      });
    });
    others.forEach((o, i) => {
      const base = {
        recordId: `${o.kind}-${i}`,
        ags: o.s.ags,
        validFrom: formatDay(o.s.from),
        validTo: o.s.length === null ? null : formatDay(o.s.from + o.s.length),
      };
      switch (o.kind) {
        case 'sgb2':
          records.push({
            source: 'sgb2',
            ...base,
            personId: `person-${o.person}`,
            householdId: `bg-${o.household}`,
            employable: o.employable,
            birthMonth: o.birthMonth,
            sex: o.sex,
            nationalityGroup: o.nationalityGroup,
          });
          break;
        case 'youth_welfare':
          records.push({
            source: 'youth_welfare',
            ...base,
            personId: `person-${o.person}`,
            paragraph: o.paragraph,
            birthMonth: o.birthMonth,
            sex: o.sex,
          });
          break;
        case 'housing_benefit':
          records.push({ source: 'housing_benefit', ...base, householdId: `hh-${o.household}`, householdSize: o.size });
          break;
        case 'childcare':
          records.push({
            source: 'childcare',
            ...base,
            childId: `person-${o.person}`,
            hoursPerWeek: o.hours,
            careType: 'kita',
            birthMonth: o.birthMonth,
          });
          break;
        case 'unemployment':
          records.push({
            source: 'unemployment',
            ...base,
            personId: `person-${o.person}`,
            legalBasis: o.legalBasis,
            birthMonth: o.birthMonth,
            sex: o.sex,
            nationalityGroup: o.nationalityGroup,
          });
          break;
        case 'basic_income_elderly':
          records.push({
            source: 'basic_income_elderly',
            ...base,
            personId: `person-${o.person}`,
            reason: o.reason,
            birthMonth: o.birthMonth,
            sex: o.sex,
          });
          break;
      }
    });
    return records;
  });

/** Every indicator's exact value and counts for every region and Stichtag: a fingerprint of the engine state. */
function fingerprint(engine: IndicatorEngine): string {
  const out: string[] = [];
  for (const def of catalogue.active().filter((d) => d.kind === 'formula')) {
    for (const p of STICHTAGE) {
      for (const v of engine.valuesFor(def, ALL_REGIONS, p)) {
        out.push(
          `${def.id}|${v.regionCode}|${v.period}|${v.counts.join(',')}|${v.exact ? `${v.exact.n}/${v.exact.d}` : 'null'}`,
        );
      }
    }
  }
  return out.join('\n');
}

function build(records: readonly LakeMessage[]): IndicatorEngine {
  const e = new IndicatorEngine();
  expect(e.apply(records).rejected).toEqual([]);
  return e;
}

/** Splits `items` into consecutive batches at the given cut points. */
function batches<T>(items: readonly T[], cuts: number[]): T[][] {
  const points = [...new Set(cuts.map((c) => c % (items.length + 1)))].sort((a, b) => a - b);
  const out: T[][] = [];
  let last = 0;
  for (const p of [...points, items.length]) {
    if (p > last) out.push(items.slice(last, p));
    last = Math.max(last, p);
  }
  return out;
}

describe('engine properties', () => {
  it('gives the same values whatever the order and batching of records', () => {
    fc.assert(
      fc.property(lake, fc.infiniteStream(fc.nat()), fc.array(fc.nat(), { maxLength: 4 }), (records, seeds, cuts) => {
        const reference = fingerprint(build(records));
        const it = seeds[Symbol.iterator]();
        const shuffled = [...records]
          .map((r) => ({ r, k: it.next().value as number }))
          .sort((a, b) => a.k - b.k)
          .map((x) => x.r);
        const e = new IndicatorEngine();
        for (const b of batches(shuffled, cuts)) e.apply(b);
        expect(fingerprint(e)).toBe(reference);
      }),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 40) },
    );
  });

  it('an incremental update equals a rebuild from the final state, and re-applying changes nothing', () => {
    const change = fc.record({ index: fc.nat(), kind: fc.constantFrom('delete', 'move', 'shift', 'reopen') });
    fc.assert(
      fc.property(lake, fc.array(change, { maxLength: 6 }), (records, changes) => {
        if (records.length === 0) return;
        const final = new Map(records.map((r) => [`${r.source}:${r.recordId}`, r as LakeMessage]));
        const updates: LakeMessage[] = [];
        for (const c of changes) {
          const r = records[c.index % records.length];
          let next: LakeMessage;
          if (c.kind === 'delete') next = { source: r.source, recordId: r.recordId, deleted: true };
          else if (c.kind === 'move') next = { ...r, ags: r.ags === ELMSHORN ? WEDEL : ELMSHORN };
          else if (c.kind === 'shift') next = { ...r, validFrom: formatDay(parseDay(r.validFrom as string) - 40) };
          else next = { ...r, validTo: null, ...(r.source === 'population' ? { endReason: null } : {}) };
          updates.push(next);
          final.set(`${r.source}:${r.recordId}`, next);
        }
        const incremental = build(records);
        incremental.apply(updates);
        const rebuilt = build([...final.values()]);
        expect(fingerprint(incremental)).toBe(fingerprint(rebuilt));
        const again = incremental.apply([...final.values()]);
        expect(again.changes.isEmpty).toBe(true);
      }),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 40) },
    );
  });

  it('agrees with a naive count of P(), P(foreign), B, D, IN and OUT', () => {
    const calls = compileFormula('P() + P(foreign) + B + D + IN + OUT').calls;
    fc.assert(
      fc.property(lake, (records) => {
        const engine = build(records);
        const spells = records
          .filter((r) => r.source === 'population')
          .map((r) => ({
            key: `population:${r.recordId}`,
            person: r.personId as string,
            ags: r.ags as string,
            from: parseDay(r.validFrom as string),
            to: r.validTo ? parseDay(r.validTo as string) : OPEN_END,
            foreign: r.nationalityGroup === 'foreign',
            startReason: r.startReason as string,
            endReason: r.endReason as string | null,
          }));
        type S = (typeof spells)[number];
        const inRegion = (s: S, region: string) => region === COUNTY || s.ags === region;
        const internalIn = (s: S) =>
          spells.some((o) => o.person === s.person && o.endReason === 'move_out' && o.to === s.from && o.ags !== s.ags);
        const internalOut = (o: S) =>
          spells.some(
            (s) => s.person === o.person && s.startReason === 'move_in' && s.from === o.to && s.ags !== o.ags,
          );
        for (const p of STICHTAGE) {
          const d = p.stichtag;
          const { from, to } = eventWindow(d);
          const inWindow = (x: number) => x >= from && x <= to;
          for (const region of ALL_REGIONS) {
            const valid = spells.filter((s) => inRegion(s, region) && s.from <= d && d < s.to);
            const persons = new Set(valid.map((s) => s.person));
            // the counted spell of a person: latest validFrom, then the greater record key
            let foreign = 0;
            for (const person of persons) {
              const rep = valid
                .filter((s) => s.person === person)
                .sort((a, b) => b.from - a.from || (b.key > a.key ? 1 : -1))[0];
              if (rep.foreign) foreign++;
            }
            const here = spells.filter((s) => inRegion(s, region));
            const births = here.filter((s) => s.startReason === 'birth' && inWindow(s.from)).length;
            const deaths = here.filter((s) => s.endReason === 'death' && inWindow(s.to)).length;
            const moveIns = here.filter(
              (s) =>
                ['move_in', 'immigration'].includes(s.startReason) &&
                inWindow(s.from) &&
                !(region === COUNTY && s.startReason === 'move_in' && internalIn(s)),
            ).length;
            const moveOuts = here.filter(
              (s) =>
                ['move_out', 'emigration'].includes(s.endReason ?? '') &&
                inWindow(s.to) &&
                !(region === COUNTY && s.endReason === 'move_out' && internalOut(s)),
            ).length;
            const counted = engine.measuresAt(region, d, calls).map((m) => m.value);
            expect({ region, d: formatDay(d), counted }).toEqual({
              region,
              d: formatDay(d),
              counted: [persons.size, foreign, births, deaths, moveIns, moveOuts],
            });
          }
        }
      }),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 60) },
    );
  });
});
