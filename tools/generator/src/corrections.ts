import { type Day, formatDay, parseDay } from './dates';
import type { Random } from './random';
import type { SourceName, SourceRecord } from './sources';

/**
 * Later deliveries. Real registers correct themselves: a typo in a name, a wrong number of hours, an
 * end reported late, a record entered twice. The generator reproduces that: delivery 1 carries a
 * small share of records in an erroneous form and a few spurious duplicates; delivery 2 re-sends the
 * right content under the same recordId and retracts the duplicates (`deleted: true`). Delivery 1
 * and 2 together are the truth; every record of either delivery is valid on its own (sources.md).
 */
export interface Routed {
  first: SourceRecord[];
  second: SourceRecord[];
  corrected: boolean;
  spurious: boolean;
}

export interface CorrectionRates {
  /** Share of records delivered wrong first and corrected in delivery 2. */
  corrected: number;
  /** Share of records that get a spurious duplicate in delivery 1, retracted in delivery 2. */
  spurious: number;
}

export const DEFAULT_CORRECTION_RATES: CorrectionRates = { corrected: 0.012, spurious: 0.003 };

export class DeliveryRouter {
  constructor(
    private readonly random: Random,
    private readonly newRecordId: (source: SourceName) => string,
    private readonly rates: CorrectionRates = DEFAULT_CORRECTION_RATES,
  ) {}

  route(source: SourceName, record: SourceRecord, correctionShare = this.rates.corrected): Routed {
    const r = this.random;
    const out: Routed = { first: [record], second: [], corrected: false, spurious: false };
    if (r.chance(correctionShare)) {
      const wrong = mutate(r, source, record);
      if (wrong) {
        out.first[0] = wrong;
        out.second.push(record);
        out.corrected = true;
      }
    }
    if (r.chance(this.rates.spurious)) {
      const recordId = this.newRecordId(source);
      out.first.push({ ...record, recordId });
      out.second.push({ recordId, deleted: true });
      out.spurious = true;
    }
    return out;
  }
}

type Mutation = (r: Random, rec: SourceRecord) => SourceRecord | null;

const typo =
  (field: string): Mutation =>
  (r, rec) => {
    const value = rec[field];
    if (typeof value !== 'string' || value.length < 3) return null;
    const wrong = misspell(r, value);
    return wrong === value ? null : { ...rec, [field]: wrong };
  };

/** The end of the spell was reported late: delivery 1 still shows it as running. */
const lateEnd: Mutation = (_r, rec) => (rec.validTo === null ? null : { ...rec, validTo: null });

const otherHouseNumber: Mutation = (r, rec) => {
  const n = parseInt(String(rec.houseNumber), 10);
  const wrong = String(Math.max(1, n + r.pick([-2, -1, 1, 2, 10])));
  return wrong === rec.houseNumber ? null : { ...rec, houseNumber: wrong };
};

const birthDateTypo: Mutation = (r, rec) => {
  if (rec.startReason === 'birth') return null; // must equal validFrom
  const birth = parseDay(String(rec.birthDate)) as Day;
  return { ...rec, birthDate: formatDay(birth - r.int(1, 30)) };
};

const MUTATIONS: Record<SourceName, readonly Mutation[]> = {
  population: [
    typo('lastName'),
    typo('firstName'),
    typo('street'),
    otherHouseNumber,
    birthDateTypo,
    (_r, rec) => (rec.sex === 'm' || rec.sex === 'f' ? { ...rec, sex: 'x' } : null),
    (_r, rec) => (rec.nationality !== 'DE' ? { ...rec, nationality: 'XX' } : null),
  ],
  sgb2: [typo('lastName'), lateEnd, (_r, rec) => ({ ...rec, employable: !rec.employable })],
  unemployment: [lateEnd, (_r, rec) => ({ ...rec, legalBasis: rec.legalBasis === 'sgb2' ? 'sgb3' : 'sgb2' })],
  childcare: [
    lateEnd,
    typo('firstName'),
    (r, rec) => ({
      ...rec,
      hoursPerWeek: Math.min(60, Math.max(1, Number(rec.hoursPerWeek) + r.pick([-10, -5, 5, 10]))),
    }),
    (_r, rec) => ({ ...rec, careType: rec.careType === 'kita' ? 'tagespflege' : 'kita' }),
  ],
  youth_welfare: [
    lateEnd,
    (r, rec) => {
      const other = ['27', '28', '29', '30', '31', '32', '33', '34', '35', '35a', '41'].filter(
        (p) => p !== rec.paragraph,
      );
      return { ...rec, paragraph: r.pick(other) };
    },
  ],
  housing_benefit: [
    typo('applicantName'),
    otherHouseNumber,
    (r, rec) => ({
      ...rec,
      householdSize: Math.max(
        1,
        Math.min(20, Number(rec.householdSize) + (Number(rec.householdSize) === 1 ? 1 : r.pick([-1, 1]))),
      ),
    }),
  ],
  basic_income_elderly: [typo('lastName'), lateEnd],
  reference_values: [
    (r, rec) => {
      const value = Number(rec.value);
      const revised = value * (1 + (r.chance(0.5) ? 1 : -1) * (0.002 + r.next() * 0.02));
      const rounded = Number.isInteger(value) ? Math.round(revised) : Math.round(revised * 100) / 100;
      return rounded === value ? null : { ...rec, value: rounded };
    },
  ],
};

/** A wrong form of the record, or null when the drawn kind of error does not apply to it. */
export function mutate(r: Random, source: SourceName, record: SourceRecord): SourceRecord | null {
  const wrong = r.pick(MUTATIONS[source])(r, record);
  if (!wrong) return null;
  for (const key of Object.keys(record)) if (wrong[key] !== record[key]) return wrong;
  return null;
}

/** Typical typing errors: swapped letters, a missing letter, a doubled letter, umlaut spelt out. */
export function misspell(r: Random, value: string): string {
  const chars = [...value];
  const i = r.int(1, chars.length - 2);
  switch (r.int(0, 3)) {
    case 0:
      [chars[i], chars[i + 1]] = [chars[i + 1], chars[i]];
      break;
    case 1:
      chars.splice(i, 1);
      break;
    case 2:
      chars.splice(i, 0, chars[i]);
      break;
    default: {
      const replaced = value.replace('ü', 'ue').replace('ö', 'oe').replace('ä', 'ae').replace('ß', 'ss');
      if (replaced !== value) return replaced;
      chars.splice(i, 1);
    }
  }
  return chars.join('').slice(0, 100);
}
