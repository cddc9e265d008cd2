import { SAMPLE_RECORDS } from './sample-records';
import { sourceDeclaration } from './registry';
import type { SourceDeclaration } from './source-declaration';
import { validateRecord, type RecordError, type ValidationResult } from './validate-record';

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

  it('accepts the boundary dates and a leap day', () => {
    expect(
      validateRecord(
        decl('unemployment'),
        sample('unemployment', { birthDate: '1900-01-01', validFrom: '2000-02-29', validTo: '2100-12-31' }),
        at,
      ).ok,
    ).toBe(true);
  });

  it('accepts all listed sex, nationality and paragraph values', () => {
    for (const sex of ['m', 'f', 'd', 'x'])
      expect(validateRecord(decl('sgb2'), sample('sgb2', { sex }), at).ok).toBe(true);
    for (const nationality of ['DE', 'TR', 'XX', 'XK', 'UA'])
      expect(validateRecord(decl('sgb2'), sample('sgb2', { nationality }), at).ok).toBe(true);
    for (const paragraph of ['27', '35a', '41'])
      expect(validateRecord(decl('youth_welfare'), sample('youth_welfare', { paragraph }), at).ok).toBe(true);
  });
});

describe('validateRecord: one rule each, with the exact error', () => {
  it('recordId is required', () => {
    expectSingleError(
      'population',
      { recordId: undefined },
      { field: 'recordId', rule: 'required', message: 'is required' },
    );
  });

  it.each(['', 'a b', 'ä', 'x'.repeat(65), 'id/1'])('recordId must match the id pattern (%j)', (recordId) => {
    expectSingleError(
      'population',
      { recordId },
      { field: 'recordId', rule: 'record_id', message: 'must be 1–64 characters of A-Z a-z 0-9 . _ : -' },
    );
  });

  it('accepts a recordId of 64 characters with every allowed sign', () => {
    expect(validateRecord(decl('population'), sample('population', { recordId: 'aZ09._:-'.repeat(8) }), at).ok).toBe(
      true,
    );
  });

  it('rejects unknown fields (case-sensitive names)', () => {
    expectSingleError(
      'population',
      { religion: 'x' },
      { recordId: 'pop-1', field: 'religion', rule: 'unknown_field', message: 'is not a field of source population' },
    );
    expectSingleError(
      'population',
      { Sex: 'f' },
      { recordId: 'pop-1', field: 'Sex', rule: 'unknown_field', message: 'is not a field of source population' },
    );
  });

  it('does not echo an unknown field name that does not look like a name', () => {
    expectSingleError(
      'population',
      { 'Anna Beispiel, Hauptstraße 12': 'x' },
      {
        recordId: 'pop-1',
        field: '(unnamed field)',
        rule: 'unknown_field',
        message: 'is not a field of source population',
      },
    );
  });

  it('a required field may not be null or absent', () => {
    expectSingleError(
      'population',
      { personId: null },
      { recordId: 'pop-1', field: 'personId', rule: 'required', message: 'is required' },
    );
    expectSingleError(
      'sgb2',
      { householdId: undefined },
      { recordId: 'sgb2-1', field: 'householdId', rule: 'required', message: 'is required' },
    );
  });

  it('a string field needs a string', () => {
    expectSingleError(
      'population',
      { personId: 4711 },
      { recordId: 'pop-1', field: 'personId', rule: 'type', message: 'must be a string' },
    );
  });

  it('string lengths (in code points)', () => {
    expectSingleError(
      'population',
      { lastName: 'x'.repeat(101) },
      { recordId: 'pop-1', field: 'lastName', rule: 'length', message: 'must have 1–100 characters' },
    );
    expectSingleError(
      'population',
      { houseNumber: '' },
      { recordId: 'pop-1', field: 'houseNumber', rule: 'length', message: 'must have 1–10 characters' },
    );
    expect(validateRecord(decl('population'), sample('population', { houseNumber: '😀'.repeat(10) }), at).ok).toBe(
      true,
    );
    expectSingleError(
      'population',
      { houseNumber: '😀'.repeat(11) },
      { recordId: 'pop-1', field: 'houseNumber', rule: 'length', message: 'must have 1–10 characters' },
    );
  });

  it.each([
    '1990-2-14',
    '14.02.1990',
    '1990-02-30',
    '2023-02-29',
    '1990-13-01',
    '1990-00-10',
    '1990-01-00',
    'yyyy-mm-dd',
    '1990-02-14T00:00',
  ])('dates must be real calendar dates YYYY-MM-DD (%j)', (birthDate) => {
    expectSingleError(
      'population',
      { birthDate },
      { recordId: 'pop-1', field: 'birthDate', rule: 'date', message: 'must be a date YYYY-MM-DD' },
    );
  });

  it('dates must lie between 1900-01-01 and 2100-12-31', () => {
    expectSingleError(
      'population',
      { birthDate: '1899-12-31' },
      {
        recordId: 'pop-1',
        field: 'birthDate',
        rule: 'date_range',
        message: 'must lie between 1900-01-01 and 2100-12-31',
      },
    );
    expectSingleError(
      'unemployment',
      { validTo: '2101-01-01' },
      { recordId: 'u-1', field: 'validTo', rule: 'date_range', message: 'must lie between 1900-01-01 and 2100-12-31' },
    );
  });

  it('validTo must be later than validFrom (equal is an error: validTo is exclusive)', () => {
    expectSingleError(
      'unemployment',
      { validTo: '2021-02-01' },
      { recordId: 'u-1', field: 'validTo', rule: 'date_order', message: 'must be later than validFrom' },
    );
    expectSingleError(
      'unemployment',
      { validTo: '2020-01-01' },
      { recordId: 'u-1', field: 'validTo', rule: 'date_order', message: 'must be later than validFrom' },
    );
    expect(validateRecord(decl('unemployment'), sample('unemployment', { validTo: '2021-02-02' }), at).ok).toBe(true);
  });

  it('validFrom is required, validTo is optional', () => {
    expectSingleError(
      'childcare',
      { validFrom: null },
      { recordId: 'c-1', field: 'validFrom', rule: 'required', message: 'is required' },
    );
    expect(validateRecord(decl('childcare'), sample('childcare', { validTo: undefined }), at).ok).toBe(true);
  });

  it('ags must be a municipality of the county', () => {
    for (const ags of ['01056999', '01056', '02000000', '1056015']) {
      expectSingleError(
        'sgb2',
        { ags },
        {
          recordId: 'sgb2-1',
          field: 'ags',
          rule: 'ags',
          message: 'must be the key (AGS) of a municipality of the county',
        },
      );
    }
  });

  it('enums: sex, startReason, careType, paragraph, legalBasis, reason, regionCode', () => {
    expectSingleError(
      'sgb2',
      { sex: 'w' },
      { recordId: 'sgb2-1', field: 'sex', rule: 'enum', message: 'must be one of m, f, d, x' },
    );
    expectSingleError(
      'sgb2',
      { sex: 'F' },
      { recordId: 'sgb2-1', field: 'sex', rule: 'enum', message: 'must be one of m, f, d, x' },
    );
    expectSingleError(
      'population',
      { startReason: 'born' },
      {
        recordId: 'pop-1',
        field: 'startReason',
        rule: 'enum',
        message: 'must be one of birth, move_in, immigration, address_change, initial',
      },
    );
    expectSingleError(
      'childcare',
      { careType: 'school' },
      { recordId: 'c-1', field: 'careType', rule: 'enum', message: 'must be one of kita, tagespflege' },
    );
    expectSingleError(
      'youth_welfare',
      { paragraph: '36' },
      {
        recordId: 'y-1',
        field: 'paragraph',
        rule: 'enum',
        message: 'must be one of 27, 28, 29, 30, 31, 32, 33, 34, 35, 35a, 41',
      },
    );
    expectSingleError(
      'youth_welfare',
      { paragraph: 35 },
      { recordId: 'y-1', field: 'paragraph', rule: 'type', message: 'must be a string' },
    );
    expectSingleError(
      'unemployment',
      { legalBasis: 'sgb12' },
      { recordId: 'u-1', field: 'legalBasis', rule: 'enum', message: 'must be one of sgb2, sgb3' },
    );
    expectSingleError(
      'basic_income_elderly',
      { reason: 'other' },
      { recordId: 'g-1', field: 'reason', rule: 'enum', message: 'must be one of age, reduced_earning_capacity' },
    );
    expectSingleError(
      'reference_values',
      { regionCode: '01056' },
      { recordId: 'rv-1', field: 'regionCode', rule: 'enum', message: 'must be one of 01, DG' },
    );
  });

  it.each(['de', 'D', 'DEU', 'QQ', 'ZZ', 'EU'])(
    'nationality must be ISO 3166-1 alpha-2 upper case or XX (%j)',
    (nationality) => {
      expectSingleError(
        'sgb2',
        { nationality },
        {
          recordId: 'sgb2-1',
          field: 'nationality',
          rule: 'nationality',
          message: 'must be an ISO 3166-1 alpha-2 code in upper case or XX',
        },
      );
    },
  );

  it('birthDate must not lie after validFrom', () => {
    expectSingleError(
      'sgb2',
      { birthDate: '2019-03-02' },
      { recordId: 'sgb2-1', field: 'birthDate', rule: 'birth_date_order', message: 'must not lie after validFrom' },
    );
    expect(validateRecord(decl('sgb2'), sample('sgb2', { birthDate: '2019-03-01' }), at).ok).toBe(true);
    expectSingleError(
      'childcare',
      { birthDate: '2021-08-02' },
      { recordId: 'c-1', field: 'birthDate', rule: 'birth_date_order', message: 'must not lie after validFrom' },
    );
  });

  it('population with startReason birth: birthDate must equal validFrom', () => {
    const birth = { startReason: 'birth', birthDate: '2010-01-01', validFrom: '2010-01-01' };
    expect(validateRecord(decl('population'), sample('population', birth), at).ok).toBe(true);
    expectSingleError(
      'population',
      { ...birth, birthDate: '2009-12-31' },
      {
        recordId: 'pop-1',
        field: 'birthDate',
        rule: 'birth_date_equals',
        message: 'must equal validFrom when startReason is birth',
      },
    );
    expectSingleError(
      'population',
      { birthDate: '2010-01-02' },
      { recordId: 'pop-1', field: 'birthDate', rule: 'birth_date_order', message: 'must not lie after validFrom' },
    );
  });

  it('population: endReason is null exactly when validTo is null', () => {
    expect(validateRecord(decl('population'), sample('population', { validTo: null, endReason: null }), at).ok).toBe(
      true,
    );
    expectSingleError(
      'population',
      { validTo: null },
      { recordId: 'pop-1', field: 'endReason', rule: 'null_without', message: 'must be null when validTo is null' },
    );
    expectSingleError(
      'population',
      { endReason: null },
      { recordId: 'pop-1', field: 'endReason', rule: 'required_with', message: 'is required when validTo is set' },
    );
    expectSingleError(
      'population',
      { endReason: 'died' },
      {
        recordId: 'pop-1',
        field: 'endReason',
        rule: 'enum',
        message: 'must be one of death, move_out, emigration, address_change',
      },
    );
  });

  it('postal code: 5 digits', () => {
    for (const postalCode of ['2533', '253355', 'D-25335', '25 335']) {
      expectSingleError(
        'housing_benefit',
        { postalCode },
        { recordId: 'w-1', field: 'postalCode', rule: 'postal_code', message: 'must be 5 digits' },
      );
    }
  });

  it('booleans: employable', () => {
    expectSingleError(
      'sgb2',
      { employable: 'yes' },
      { recordId: 'sgb2-1', field: 'employable', rule: 'boolean', message: 'must be true or false' },
    );
    expectSingleError(
      'sgb2',
      { employable: 1 },
      { recordId: 'sgb2-1', field: 'employable', rule: 'boolean', message: 'must be true or false' },
    );
  });

  it('integer ranges: householdSize 1–20, year 1990–2100', () => {
    expectSingleError(
      'housing_benefit',
      { householdSize: 0 },
      { recordId: 'w-1', field: 'householdSize', rule: 'range', message: 'must be between 1 and 20' },
    );
    expectSingleError(
      'housing_benefit',
      { householdSize: 21 },
      { recordId: 'w-1', field: 'householdSize', rule: 'range', message: 'must be between 1 and 20' },
    );
    expectSingleError(
      'housing_benefit',
      { householdSize: 2.5 },
      { recordId: 'w-1', field: 'householdSize', rule: 'integer', message: 'must be an integer' },
    );
    expectSingleError(
      'housing_benefit',
      { householdSize: '3' },
      { recordId: 'w-1', field: 'householdSize', rule: 'integer', message: 'must be an integer' },
    );
    expectSingleError(
      'reference_values',
      { year: 1989 },
      { recordId: 'rv-1', field: 'year', rule: 'range', message: 'must be between 1990 and 2100' },
    );
  });

  it('number ranges: hoursPerWeek 1–60; value any finite number', () => {
    expectSingleError(
      'childcare',
      { hoursPerWeek: 0.5 },
      { recordId: 'c-1', field: 'hoursPerWeek', rule: 'range', message: 'must be between 1 and 60' },
    );
    expectSingleError(
      'childcare',
      { hoursPerWeek: 60.5 },
      { recordId: 'c-1', field: 'hoursPerWeek', rule: 'range', message: 'must be between 1 and 60' },
    );
    expectSingleError(
      'childcare',
      { hoursPerWeek: '35' },
      { recordId: 'c-1', field: 'hoursPerWeek', rule: 'number', message: 'must be a number' },
    );
    expect(validateRecord(decl('reference_values'), sample('reference_values', { value: -12.5 }), at).ok).toBe(true);
    expectSingleError(
      'reference_values',
      { value: 'NaN' },
      { recordId: 'rv-1', field: 'value', rule: 'number', message: 'must be a number' },
    );
  });

  it('reference_values: indicatorId must be a catalogue id', () => {
    expectSingleError(
      'reference_values',
      { indicatorId: 'births_per_10000' },
      {
        recordId: 'rv-1',
        field: 'indicatorId',
        rule: 'indicator',
        message: 'must be an indicator id of the catalogue',
      },
    );
  });

  it('publisher: 1–200 characters', () => {
    expectSingleError(
      'reference_values',
      { publisher: 'x'.repeat(201) },
      { recordId: 'rv-1', field: 'publisher', rule: 'length', message: 'must have 1–200 characters' },
    );
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
