import { isMunicipalityAgs } from '@sozialmonitor/regions';

/**
 * An independent reading of spec/sources.md, used by the tests to check every generated record (it
 * deliberately does not share code with the generator or with libs/contracts). Returns the broken
 * rules as `field: rule` texts; an empty list means the record is valid.
 */
type Check = (value: unknown) => string | null;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
export function isCalendarDate(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const m = DATE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const dim = [31, (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][
    mo - 1
  ];
  return mo >= 1 && mo <= 12 && d >= 1 && d <= dim && value >= '1900-01-01' && value <= '2100-12-31';
}

const str =
  (min: number, max: number): Check =>
  (v) =>
    typeof v === 'string' && [...v].length >= min && [...v].length <= max ? null : `string ${min}-${max}`;
const oneOf =
  (...values: string[]): Check =>
  (v) =>
    typeof v === 'string' && values.includes(v) ? null : 'enum';
const date: Check = (v) => (isCalendarDate(v) ? null : 'date');
const optionalDate: Check = (v) => (v === null || isCalendarDate(v) ? null : 'date');
const ags: Check = (v) => (typeof v === 'string' && isMunicipalityAgs(v) ? null : 'ags');
const nationality: Check = (v) => (typeof v === 'string' && /^[A-Z]{2}$/.test(v) ? null : 'nationality');
const postalCode: Check = (v) => (typeof v === 'string' && /^\d{5}$/.test(v) ? null : 'postalCode');
const bool: Check = (v) => (typeof v === 'boolean' ? null : 'boolean');
const recordId: Check = (v) => (typeof v === 'string' && /^[A-Za-z0-9._:-]{1,64}$/.test(v) ? null : 'recordId');
const sex = oneOf('m', 'f', 'd', 'x');

const SPELL = { ags, validFrom: date, validTo: optionalDate };

export const RULES: Record<string, Record<string, Check>> = {
  population: {
    recordId,
    personId: str(1, 64),
    firstName: str(1, 100),
    lastName: str(1, 100),
    birthDate: date,
    sex,
    nationality,
    street: str(1, 100),
    houseNumber: str(1, 10),
    postalCode,
    ...SPELL,
    startReason: oneOf('birth', 'move_in', 'immigration', 'address_change', 'initial'),
    endReason: (v) => (v === null ? null : oneOf('death', 'move_out', 'emigration', 'address_change')(v)),
  },
  sgb2: {
    recordId,
    personId: str(1, 64),
    firstName: str(1, 100),
    lastName: str(1, 100),
    birthDate: date,
    sex,
    nationality,
    ...SPELL,
    householdId: str(1, 64),
    employable: bool,
  },
  unemployment: {
    recordId,
    personId: str(1, 64),
    birthDate: date,
    sex,
    nationality,
    ...SPELL,
    legalBasis: oneOf('sgb2', 'sgb3'),
  },
  childcare: {
    recordId,
    childId: str(1, 64),
    firstName: str(1, 100),
    lastName: str(1, 100),
    birthDate: date,
    ...SPELL,
    hoursPerWeek: (v) => (typeof v === 'number' && v >= 1 && v <= 60 ? null : 'number 1-60'),
    careType: oneOf('kita', 'tagespflege'),
  },
  youth_welfare: {
    recordId,
    personId: str(1, 64),
    birthDate: date,
    sex,
    ...SPELL,
    paragraph: oneOf('27', '28', '29', '30', '31', '32', '33', '34', '35', '35a', '41'),
  },
  housing_benefit: {
    recordId,
    householdId: str(1, 64),
    applicantName: str(1, 100),
    street: str(1, 100),
    houseNumber: str(1, 10),
    postalCode,
    ...SPELL,
    householdSize: (v) => (Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 20 ? null : 'integer 1-20'),
  },
  basic_income_elderly: {
    recordId,
    personId: str(1, 64),
    firstName: str(1, 100),
    lastName: str(1, 100),
    birthDate: date,
    sex,
    ...SPELL,
    reason: oneOf('age', 'reduced_earning_capacity'),
  },
  reference_values: {
    recordId,
    indicatorId: str(1, 100),
    regionCode: oneOf('01', 'DG'),
    year: (v) => (Number.isInteger(v) && (v as number) >= 1990 && (v as number) <= 2100 ? null : 'integer 1990-2100'),
    value: (v) => (typeof v === 'number' && Number.isFinite(v) ? null : 'number'),
    publisher: str(1, 200),
  },
};

export function violations(
  source: string,
  record: Record<string, unknown>,
  indicatorIds?: ReadonlySet<string>,
): string[] {
  const rules = RULES[source];
  if (!rules) return [`source: unknown ${source}`];
  const out: string[] = [];
  for (const key of Object.keys(record)) if (key !== 'deleted' && !(key in rules)) out.push(`${key}: unknown field`);
  if ('deleted' in record && typeof record.deleted !== 'boolean') out.push('deleted: boolean');
  if (record.deleted === true) {
    const e = recordId(record.recordId);
    return e ? [...out, `recordId: ${e}`] : out;
  }
  for (const [field, check] of Object.entries(rules)) {
    // Every generated record carries every field; a missing one would be a generator bug even where optional.
    if (!(field in record)) {
      out.push(`${field}: missing`);
      continue;
    }
    const e = check(record[field]);
    if (e) out.push(`${field}: ${e}`);
  }
  if (
    'validFrom' in rules &&
    typeof record.validTo === 'string' &&
    typeof record.validFrom === 'string' &&
    !(record.validTo > record.validFrom)
  )
    out.push('validTo: after validFrom');
  if (
    'birthDate' in rules &&
    'validFrom' in rules &&
    typeof record.birthDate === 'string' &&
    typeof record.validFrom === 'string'
  ) {
    if (source === 'population' && record.startReason === 'birth') {
      if (record.birthDate !== record.validFrom) out.push('birthDate: equals validFrom for births');
    } else if (record.birthDate > record.validFrom) out.push('birthDate: not after validFrom');
  }
  if (source === 'population' && (record.validTo === null) !== (record.endReason === null))
    out.push('endReason: null exactly when validTo is null');
  if (source === 'reference_values' && indicatorIds && !indicatorIds.has(String(record.indicatorId)))
    out.push('indicatorId: catalogue');
  return out;
}
