import { SAMPLE_RECORDS } from './sample-records';
import { sourceDeclaration } from './registry';
import type { SourceDeclaration } from './source-declaration';
import { validateRecord, type RecordError, type ValidationResult, type ValidationRule } from './validate-record';

const decl = (name: string): SourceDeclaration => sourceDeclaration(name)!;
const sample = (name: string, patch: Record<string, unknown> = {}): Record<string, unknown> => {
  const r: Record<string, unknown> = { ...SAMPLE_RECORDS[name], ...patch };
  for (const [k, v] of Object.entries(patch)) if (v === undefined) delete r[k];
  return r;
};
const errorsOf = (result: ValidationResult): RecordError[] => (result.ok ? [] : result.errors);
const at = { index: 17, line: 19 };

/** Validates a sample with one change and expects exactly one error. */
function expectSingleError(
  source: string,
  patch: Record<string, unknown>,
  expected: Omit<RecordError, 'index' | 'line'>,
  format: 'json' | 'csv' = 'json',
) {
  const raw = sample(source, patch);
  const result = validateRecord(decl(source), raw, at, format);
  expect(errorsOf(result)).toEqual([{ index: 17, line: 19, ...expected }]);
}

/** The recordId of each sample: every error about a sample names it, except an error about the recordId itself. */
const SAMPLE_RECORD_ID: Record<string, string> = {
  population: 'pop-1',
  sgb2: 'sgb2-1',
  unemployment: 'u-1',
  childcare: 'c-1',
  youth_welfare: 'y-1',
  housing_benefit: 'w-1',
  basic_income_elderly: 'g-1',
  reference_values: 'rv-1',
};

/** A sample changed by `record` (a field set to undefined is removed) that is valid. */
interface Accepted {
  source: string;
  record: Record<string, unknown>;
}

/** A sample changed by `record` (a field set to undefined is removed) that fails exactly one rule. */
interface Rejected extends Accepted {
  field: string;
  rule: ValidationRule;
  message: string;
}

/** `field` of the `source` sample set to each of `values` (undefined: removed) fails `rule` on that field. */
const rejected = (source: string, field: string, rule: ValidationRule, message: string, values: unknown[]) =>
  values.map((value): Rejected => ({ source, record: { [field]: value }, field, rule, message }));

const DATE_RANGE = 'must lie between 1900-01-01 and 2100-12-31';
const NOT_A_POPULATION_FIELD = 'is not a field of source population';
const BIRTH_DATE_ORDER = 'must not lie after validFrom';
const NOT_A_MUNICIPALITY = 'must be the key (AGS) of a municipality of the county';

/** Values at the edge of a rule, and every listed value of some enums: accepted. */
const ACCEPTED: Accepted[] = [
  { source: 'unemployment', record: { birthDate: '1900-01-01', validFrom: '2000-02-29', validTo: '2100-12-31' } },
  ...['m', 'f', 'd', 'x'].map((sex) => ({ source: 'sgb2', record: { sex } })),
  ...['DE', 'TR', 'XX', 'XK', 'UA'].map((nationality) => ({ source: 'sgb2', record: { nationality } })),
  ...['27', '35a', '41'].map((paragraph) => ({ source: 'youth_welfare', record: { paragraph } })),
  // a recordId of 64 characters with every allowed sign
  { source: 'population', record: { recordId: 'aZ09._:-'.repeat(8) } },
  // string lengths count code points
  { source: 'population', record: { houseNumber: '😀'.repeat(10) } },
  // the day after validFrom; validTo is optional
  { source: 'unemployment', record: { validTo: '2021-02-02' } },
  { source: 'childcare', record: { validTo: undefined } },
  // birthDate on validFrom
  { source: 'sgb2', record: { birthDate: '2019-03-01' } },
  { source: 'population', record: { startReason: 'birth', birthDate: '2010-01-01', validFrom: '2010-01-01' } },
  { source: 'population', record: { validTo: null, endReason: null } },
  { source: 'reference_values', record: { value: -12.5 } },
];

/** One rule each, with the exact error. */
const REJECTED: Rejected[] = [
  ...rejected('population', 'recordId', 'required', 'is required', [undefined]),
  ...rejected('population', 'recordId', 'record_id', 'must be 1–64 characters of A-Z a-z 0-9 . _ : -', [
    '',
    'a b',
    'ä',
    'x'.repeat(65),
    'id/1',
  ]),
  // unknown fields (case-sensitive names); a name that does not look like a name is not echoed
  ...rejected('population', 'religion', 'unknown_field', NOT_A_POPULATION_FIELD, ['x']),
  ...rejected('population', 'Sex', 'unknown_field', NOT_A_POPULATION_FIELD, ['f']),
  {
    source: 'population',
    record: { 'Anna Beispiel, Hauptstraße 12': 'x' },
    field: '(unnamed field)',
    rule: 'unknown_field',
    message: NOT_A_POPULATION_FIELD,
  },
  // a required field may not be null or absent; a string field needs a string
  ...rejected('population', 'personId', 'required', 'is required', [null]),
  ...rejected('sgb2', 'householdId', 'required', 'is required', [undefined]),
  ...rejected('population', 'personId', 'type', 'must be a string', [4711]),
  // string lengths (in code points)
  ...rejected('population', 'lastName', 'length', 'must have 1–100 characters', ['x'.repeat(101)]),
  ...rejected('population', 'houseNumber', 'length', 'must have 1–10 characters', ['', '😀'.repeat(11)]),
  // dates must be real calendar dates YYYY-MM-DD between 1900-01-01 and 2100-12-31
  ...rejected('population', 'birthDate', 'date', 'must be a date YYYY-MM-DD', [
    '1990-2-14',
    '14.02.1990',
    '1990-02-30',
    '2023-02-29',
    '1990-13-01',
    '1990-00-10',
    '1990-01-00',
    'yyyy-mm-dd',
    '1990-02-14T00:00',
  ]),
  ...rejected('population', 'birthDate', 'date_range', DATE_RANGE, ['1899-12-31']),
  ...rejected('unemployment', 'validTo', 'date_range', DATE_RANGE, ['2101-01-01']),
  // validTo must be later than validFrom (equal is an error: validTo is exclusive); validFrom is required
  ...rejected('unemployment', 'validTo', 'date_order', 'must be later than validFrom', ['2021-02-01', '2020-01-01']),
  ...rejected('childcare', 'validFrom', 'required', 'is required', [null]),
  ...rejected('sgb2', 'ags', 'ags', NOT_A_MUNICIPALITY, ['01056999', '01056', '02000000', '1056015']),
  // enums: sex, startReason, careType, paragraph, legalBasis, reason, regionCode
  ...rejected('sgb2', 'sex', 'enum', 'must be one of m, f, d, x', ['w', 'F']),
  ...rejected(
    'population',
    'startReason',
    'enum',
    'must be one of birth, move_in, immigration, address_change, initial',
    ['born'],
  ),
  ...rejected('childcare', 'careType', 'enum', 'must be one of kita, tagespflege', ['school']),
  ...rejected('youth_welfare', 'paragraph', 'enum', 'must be one of 27, 28, 29, 30, 31, 32, 33, 34, 35, 35a, 41', [
    '36',
  ]),
  ...rejected('youth_welfare', 'paragraph', 'type', 'must be a string', [35]),
  ...rejected('unemployment', 'legalBasis', 'enum', 'must be one of sgb2, sgb3', ['sgb12']),
  ...rejected('basic_income_elderly', 'reason', 'enum', 'must be one of age, reduced_earning_capacity', ['other']),
  ...rejected('reference_values', 'regionCode', 'enum', 'must be one of 01, DG', ['01056']),
  ...rejected('sgb2', 'nationality', 'nationality', 'must be an ISO 3166-1 alpha-2 code in upper case or XX', [
    'de',
    'D',
    'DEU',
    'QQ',
    'ZZ',
    'EU',
  ]),
  // birthDate must equal validFrom for a population record with startReason birth, and never lie after it
  {
    source: 'population',
    record: { startReason: 'birth', birthDate: '2009-12-31', validFrom: '2010-01-01' },
    field: 'birthDate',
    rule: 'birth_date_equals',
    message: 'must equal validFrom when startReason is birth',
  },
  ...rejected('sgb2', 'birthDate', 'birth_date_order', BIRTH_DATE_ORDER, ['2019-03-02']),
  ...rejected('childcare', 'birthDate', 'birth_date_order', BIRTH_DATE_ORDER, ['2021-08-02']),
  ...rejected('population', 'birthDate', 'birth_date_order', BIRTH_DATE_ORDER, ['2010-01-02']),
  // population: endReason is null exactly when validTo is null
  {
    source: 'population',
    record: { validTo: null },
    field: 'endReason',
    rule: 'null_without',
    message: 'must be null when validTo is null',
  },
  ...rejected('population', 'endReason', 'required_with', 'is required when validTo is set', [null]),
  ...rejected('population', 'endReason', 'enum', 'must be one of death, move_out, emigration, address_change', [
    'died',
  ]),
  ...rejected('housing_benefit', 'postalCode', 'postal_code', 'must be 5 digits', [
    '2533',
    '253355',
    'D-25335',
    '25 335',
  ]),
  ...rejected('sgb2', 'employable', 'boolean', 'must be true or false', ['yes', 1]),
  // integer ranges: householdSize 1–20, year 1990–2100
  ...rejected('housing_benefit', 'householdSize', 'range', 'must be between 1 and 20', [0, 21]),
  ...rejected('housing_benefit', 'householdSize', 'integer', 'must be an integer', [2.5, '3']),
  ...rejected('reference_values', 'year', 'range', 'must be between 1990 and 2100', [1989]),
  // number ranges: hoursPerWeek 1–60; value any finite number
  ...rejected('childcare', 'hoursPerWeek', 'range', 'must be between 1 and 60', [0.5, 60.5]),
  ...rejected('childcare', 'hoursPerWeek', 'number', 'must be a number', ['35']),
  ...rejected('reference_values', 'value', 'number', 'must be a number', ['NaN']),
  ...rejected('reference_values', 'indicatorId', 'indicator', 'must be an indicator id of the catalogue', [
    'births_per_10000',
  ]),
  ...rejected('reference_values', 'publisher', 'length', 'must have 1–200 characters', ['x'.repeat(201)]),
];

describe('validateRecord: valid records', () => {
  it.each(Object.keys(SAMPLE_RECORDS))('accepts the %s sample and normalizes it in declaration order', (source) => {
    const result = validateRecord(decl(source), sample(source), { index: 0 });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(Object.keys(result.record)).toEqual(decl(source).fields.map((f) => f.name));
  });

  it('fills absent optional fields with null and drops deleted=false', () => {
    const result = validateRecord(
      decl('sgb2'),
      sample('sgb2', { firstName: undefined, validTo: undefined, deleted: false }),
      { index: 0 },
    );
    expect(result).toEqual({ ok: true, record: expect.objectContaining({ firstName: null, validTo: null }) });
    if (result.ok) expect('deleted' in result.record).toBe(false);
  });

  it.each(ACCEPTED)('accepts $source with $record', ({ source, record }) => {
    expect(validateRecord(decl(source), sample(source, record), at).ok).toBe(true);
  });
});

describe('validateRecord: one rule each, with the exact error', () => {
  it.each(REJECTED)('$source with $record: $field $rule', ({ source, record, field, rule, message }) => {
    const recordId = field === 'recordId' ? {} : { recordId: SAMPLE_RECORD_ID[source] };
    expectSingleError(source, record, { ...recordId, field, rule, message });
  });

  it('lists every failing field of a record, in declaration order, and reports index without line', () => {
    const result = validateRecord(decl('sgb2'), sample('sgb2', { sex: 'q', ags: 'x', extra: 1 }), { index: 3 });
    expect(errorsOf(result).map((e) => [e.field, e.rule])).toEqual([
      ['extra', 'unknown_field'],
      ['sex', 'enum'],
      ['ags', 'ags'],
    ]);
    expect(errorsOf(result).every((e) => e.index === 3 && !('line' in e))).toBe(true);
  });

  it('omits recordId from errors when the recordId is itself invalid', () => {
    const result = validateRecord(decl('sgb2'), sample('sgb2', { recordId: 'Anna Beispiel', sex: 'q' }), at);
    expect(errorsOf(result)).toEqual([
      {
        index: 17,
        line: 19,
        field: 'recordId',
        rule: 'record_id',
        message: 'must be 1–64 characters of A-Z a-z 0-9 . _ : -',
      },
      { index: 17, line: 19, field: 'sex', rule: 'enum', message: 'must be one of m, f, d, x' },
    ]);
  });

  it('skips a cross-field rule when one of its fields already failed', () => {
    const result = validateRecord(decl('population'), sample('population', { validTo: '2020-02-30' }), at);
    expect(errorsOf(result).map((e) => e.rule)).toEqual(['date']);
  });
});

describe('validateRecord: deletions', () => {
  it('needs only the recordId and ignores other declared fields', () => {
    expect(validateRecord(decl('population'), { recordId: 'pop-1', deleted: true }, at)).toEqual({
      ok: true,
      record: { recordId: 'pop-1', deleted: true },
    });
    expect(
      validateRecord(decl('population'), { ...sample('population', { sex: 'bogus' }), deleted: true }, at),
    ).toEqual({
      ok: true,
      record: { recordId: 'pop-1', deleted: true },
    });
  });

  it('still rejects unknown fields and a missing recordId', () => {
    expectSingleError(
      'population',
      { deleted: true, religion: 'x' },
      { recordId: 'pop-1', field: 'religion', rule: 'unknown_field', message: 'is not a field of source population' },
    );
    expect(errorsOf(validateRecord(decl('population'), { deleted: true }, at))).toEqual([
      { index: 17, line: 19, field: 'recordId', rule: 'required', message: 'is required' },
    ]);
  });

  it('deleted must be a boolean (CSV: also 1/0)', () => {
    expectSingleError(
      'population',
      { deleted: 'yes' },
      { recordId: 'pop-1', field: 'deleted', rule: 'boolean', message: 'must be true or false' },
    );
    expect(validateRecord(decl('population'), { recordId: 'pop-1', deleted: '1' }, at, 'csv')).toEqual({
      ok: true,
      record: { recordId: 'pop-1', deleted: true },
    });
    expect(errorsOf(validateRecord(decl('population'), { recordId: 'pop-1', deleted: 'ja' }, at, 'csv'))).toEqual([
      {
        index: 17,
        line: 19,
        recordId: 'pop-1',
        field: 'deleted',
        rule: 'boolean',
        message: 'must be true, false, 1 or 0',
      },
    ]);
  });
});

describe('validateRecord: CSV coercion', () => {
  const csvOf = (source: string, patch: Record<string, string> = {}): Record<string, string> => {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(SAMPLE_RECORDS[source])) out[k] = v === null ? '' : String(v);
    return { ...out, ...patch };
  };

  it.each(Object.keys(SAMPLE_RECORDS))('coerces a %s CSV row to the same record as its JSON form', (source) => {
    const fromJson = validateRecord(decl(source), sample(source), at);
    const fromCsv = validateRecord(decl(source), csvOf(source), at, 'csv');
    expect(fromCsv).toEqual(fromJson);
    expect(fromCsv.ok).toBe(true);
  });

  it('an empty cell is null', () => {
    const result = validateRecord(
      decl('population'),
      csvOf('population', { validTo: '', endReason: '', firstName: '' }),
      at,
      'csv',
    );
    expect(result.ok && [result.record.validTo, result.record.endReason, result.record.firstName]).toEqual([
      null,
      null,
      null,
    ]);
    expect(errorsOf(validateRecord(decl('population'), csvOf('population', { personId: '' }), at, 'csv'))).toEqual([
      { index: 17, line: 19, recordId: 'pop-1', field: 'personId', rule: 'required', message: 'is required' },
    ]);
  });

  it('booleans true/false/1/0, integers and numbers from text', () => {
    const one = validateRecord(decl('sgb2'), csvOf('sgb2', { employable: '0' }), at, 'csv');
    expect(one.ok && one.record.employable).toBe(false);
    const hours = validateRecord(decl('childcare'), csvOf('childcare', { hoursPerWeek: '35.5' }), at, 'csv');
    expect(hours.ok && hours.record.hoursPerWeek).toBe(35.5);
    expect(
      errorsOf(validateRecord(decl('housing_benefit'), csvOf('housing_benefit', { householdSize: '3.0' }), at, 'csv')),
    ).toEqual([
      { index: 17, line: 19, recordId: 'w-1', field: 'householdSize', rule: 'integer', message: 'must be an integer' },
    ]);
    expect(
      errorsOf(validateRecord(decl('childcare'), csvOf('childcare', { hoursPerWeek: '35,5' }), at, 'csv')),
    ).toEqual([
      { index: 17, line: 19, recordId: 'c-1', field: 'hoursPerWeek', rule: 'number', message: 'must be a number' },
    ]);
    expect(errorsOf(validateRecord(decl('sgb2'), csvOf('sgb2', { employable: 'TRUE' }), at, 'csv'))).toEqual([
      {
        index: 17,
        line: 19,
        recordId: 'sgb2-1',
        field: 'employable',
        rule: 'boolean',
        message: 'must be true, false, 1 or 0',
      },
    ]);
  });
});

describe('validateRecord: privacy of messages', () => {
  // Field names are the schema, not values; an unknown name that does not look like a name is not echoed (above).
  it('never puts a delivered value into an error', () => {
    const canary = 'Zyx9Canary';
    const raw = {
      recordId: 'pop-9',
      personId: canary.repeat(10),
      firstName: canary.repeat(20),
      birthDate: `${canary}-01`,
      sex: canary,
      nationality: canary,
      street: canary.repeat(20),
      houseNumber: canary,
      postalCode: canary,
      ags: canary,
      validFrom: canary,
      validTo: canary,
      startReason: canary,
      endReason: canary,
    };
    const errors = errorsOf(validateRecord(decl('population'), raw, at));
    expect(errors.length).toBeGreaterThan(10);
    expect(JSON.stringify(errors)).not.toContain('Zyx9');
  });
});
