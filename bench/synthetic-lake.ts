/**
 * Synthetic lake records for benchmarks: plausible shapes (residence histories with births, deaths,
 * moves inside and across the county border, benefit and care spells), deterministic per seed.
 * Pseudonyms are random-looking tokens, never derived from anything real.
 */
import type { LakeRecord } from '@sozialmonitor/contracts';
import { MUNICIPALITIES } from '@sozialmonitor/regions';

/** mulberry32: a small deterministic PRNG. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pad = (n: number): string => (n < 10 ? `0${n}` : String(n));
const DAY_MS = 86_400_000;
const isoOf = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
const msOf = (y: number, m: number, d: number): number => Date.UTC(y, m - 1, d);

export interface SyntheticLakeOptions {
  /** Approximate number of records. */
  records: number;
  seed?: number;
}

export function* syntheticLake(options: SyntheticLakeOptions): Generator<LakeRecord> {
  const rnd = prng(options.seed ?? 42);
  const weights = MUNICIPALITIES.map((m) => m.inhabitantsEstimate);
  const total = weights.reduce((a, b) => a + b, 0);
  const cumulative: number[] = [];
  weights.reduce((s, w, i) => (cumulative[i] = s + w / total), 0);
  const pickAgs = (): string => {
    const x = rnd();
    const i = cumulative.findIndex((c) => x < c);
    return MUNICIPALITIES[i < 0 ? MUNICIPALITIES.length - 1 : i].ags;
  };
  const start = msOf(2010, 1, 1);
  const end = msOf(2025, 6, 30);
  const dateBetween = (a: number, b: number): number => a + Math.floor(rnd() * ((b - a) / DAY_MS)) * DAY_MS;
  let emitted = 0;
  let n = 0;
  const target = options.records;
  const id = (prefix: string): string => `${prefix}${(n++).toString(36)}x${Math.floor(rnd() * 1e9).toString(36)}`;

  while (emitted < target) {
    const personId = id('p');
    const by = 1925 + Math.floor(rnd() * 100);
    const bm = 1 + Math.floor(rnd() * 12);
    const birthMonth = `${by}-${pad(bm)}`;
    const birthMs = msOf(by, bm, 1 + Math.floor(rnd() * 28));
    const sex = rnd() < 0.5 ? 'f' : rnd() < 0.98 ? 'm' : 'd';
    const nationalityGroup = rnd() < 0.13 ? 'foreign' : 'german';
    let ags = pickAgs();
    let from = birthMs > start ? birthMs : start;
    let startReason = birthMs > start ? 'birth' : rnd() < 0.9 ? 'initial' : 'move_in';
    if (startReason === 'move_in') from = dateBetween(start, end);
    if (from >= end) continue;
    let spell = 0;
    const person = { personId, birthMonth, sex, nationalityGroup };
    for (;;) {
      const r = rnd();
      const endMs = dateBetween(from + DAY_MS, end + 365 * DAY_MS);
      let endReason: string | null = null;
      if (r < 0.08 && endMs < end)
        endReason = 'move_out'; // internal move follows
      else if (r < 0.12 && endMs < end) endReason = rnd() < 0.5 ? 'move_out' : 'emigration';
      else if (r < 0.15 && endMs < end && by < 1960) endReason = 'death';
      yield {
        source: 'population',
        recordId: `pop-${personId}-${spell++}`,
        pseudonymKeyId: 'k1',
        ...person,
        ags,
        validFrom: isoOf(from),
        validTo: endReason ? isoOf(endMs) : null,
        startReason,
        endReason,
      };
      emitted++;
      if (r < 0.08 && endReason === 'move_out') {
        let next = pickAgs();
        if (next === ags)
          next = MUNICIPALITIES[(MUNICIPALITIES.findIndex((m) => m.ags === ags) + 1) % MUNICIPALITIES.length].ags;
        ags = next;
        from = endMs;
        startReason = 'move_in';
        continue;
      }
      break;
    }
    const age2024 = 2024 - by;
    const spellOf = (
      extra: Record<string, string | number | boolean | null>,
      source: string,
      idField: string,
      idValue: string,
    ) => {
      const f = dateBetween(Math.max(start, birthMs + DAY_MS), end);
      const t = rnd() < 0.5 ? null : isoOf(dateBetween(f + DAY_MS, end + 365 * DAY_MS));
      return {
        source,
        recordId: `${source}-${id('r')}`,
        pseudonymKeyId: 'k1',
        [idField]: idValue,
        ags,
        validFrom: isoOf(f),
        validTo: t,
        ...extra,
      };
    };
    if (age2024 < 65 && rnd() < 0.22) {
      yield spellOf(
        { householdId: `h${personId}`, birthMonth, sex, nationalityGroup, employable: age2024 >= 15 && rnd() < 0.7 },
        'sgb2',
        'personId',
        personId,
      );
      emitted++;
    }
    if (age2024 >= 15 && age2024 < 67 && rnd() < 0.1) {
      yield spellOf(
        { birthMonth, sex, nationalityGroup, legalBasis: rnd() < 0.6 ? 'sgb2' : 'sgb3' },
        'unemployment',
        'personId',
        personId,
      );
      emitted++;
    }
    if (age2024 < 8 && rnd() < 0.8) {
      yield spellOf(
        { birthMonth, hoursPerWeek: 20 + Math.floor(rnd() * 30), careType: rnd() < 0.85 ? 'kita' : 'tagespflege' },
        'childcare',
        'childId',
        personId,
      );
      emitted++;
    }
    if (age2024 < 21 && rnd() < 0.05) {
      const paragraphs = ['27', '28', '29', '30', '31', '32', '33', '34', '35', '35a', '41'];
      yield spellOf(
        { personId, birthMonth, sex, paragraph: paragraphs[Math.floor(rnd() * paragraphs.length)] },
        'youth_welfare',
        'personId',
        personId,
      );
      emitted++;
    }
    if (age2024 >= 60 && rnd() < 0.06) {
      yield spellOf(
        { birthMonth, sex, reason: rnd() < 0.7 ? 'age' : 'reduced_earning_capacity' },
        'basic_income_elderly',
        'personId',
        personId,
      );
      emitted++;
    }
    if (rnd() < 0.05) {
      yield spellOf({ householdSize: 1 + Math.floor(rnd() * 5) }, 'housing_benefit', 'householdId', `w${personId}`);
      emitted++;
    }
  }
}
