import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import fc from 'fast-check';
import { jsonSchemaOf } from './json-schema';
import { SOURCES, sourceDeclaration } from './registry';
import { SAMPLE_RECORDS } from './sample-records';
import { validateRecord } from './validate-record';

const ajv = new Ajv2020({ strict: true, allErrors: true });
addFormats(ajv);
const validators = new Map(SOURCES.map((d) => [d.name, ajv.compile(jsonSchemaOf(d))]));
const schemaAccepts = (source: string, record: unknown): boolean => validators.get(source)!(record) as boolean;

/** Rules JSON Schema cannot express (they compare two values); validateRecord alone checks them. */
const VALUE_COMPARISONS = new Set(['date_order', 'birth_date_order', 'birth_date_equals']);

describe('jsonSchemaOf', () => {
  it.each(SOURCES.map((d) => d.name))(
    '%s: a draft 2020-12 schema that accepts the sample and a retraction',
    (source) => {
      const schema = jsonSchemaOf(sourceDeclaration(source)!);
      expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
      expect(schemaAccepts(source, SAMPLE_RECORDS[source])).toBe(true);
      expect(schemaAccepts(source, { recordId: 'r-1', deleted: true })).toBe(true);
    },
  );

  it.each([
    ['population', { religion: 'x' }],
    ['population', { sex: 'w' }],
    ['population', { birthDate: '1990-02-30' }],
    ['population', { birthDate: '1899-12-31' }],
    ['population', { ags: '01056999' }],
    ['population', { nationality: 'de' }],
    ['population', { postalCode: '2533' }],
    ['population', { personId: null }],
    ['population', { validTo: null }], // endReason set while validTo is null
    ['population', { endReason: null }], // validTo set while endReason is null
    ['sgb2', { employable: 'true' }],
    ['housing_benefit', { householdSize: 21 }],
    ['childcare', { hoursPerWeek: 0 }],
    ['reference_values', { indicatorId: 'nope' }],
    ['reference_values', { year: 2023.5 }],
  ])('%s: rejects %j', (source, patch) => {
    expect(schemaAccepts(source, { ...SAMPLE_RECORDS[source], ...patch })).toBe(false);
  });

  it('rejects a retraction with an unknown field or without recordId', () => {
    expect(schemaAccepts('population', { recordId: 'r', deleted: true, religion: 'x' })).toBe(false);
    expect(schemaAccepts('population', { deleted: true })).toBe(false);
    expect(schemaAccepts('population', { recordId: 'r', deleted: 'yes' })).toBe(false);
  });

  const tricky = [
    null,
    '',
    'x',
    'f',
    'DE',
    'XX',
    'de',
    '01056015',
    '01056999',
    '25335',
    '2533',
    '2000-02-29',
    '2001-02-29',
    '1899-12-31',
    '2030-01-01',
    'birth',
    'move_out',
    'kita',
    '35a',
    'sgb2',
    'age',
    '01',
    'births',
    0,
    1,
    3,
    20,
    21,
    60.5,
    2.5,
    1990,
    true,
    false,
    'x'.repeat(65),
    {},
    [],
  ];

  it('agrees with validateRecord on every record except the value comparisons', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...SOURCES.map((d) => d.name)),
        fc.array(fc.tuple(fc.nat(), fc.constantFrom(...tricky, undefined)), { maxLength: 3 }),
        fc.constantFrom(undefined, true, false, null, 'yes'),
        (source, changes, deleted) => {
          const declaration = sourceDeclaration(source)!;
          const record: Record<string, unknown> = { ...SAMPLE_RECORDS[source] };
          for (const [i, value] of changes) {
            const name = declaration.fields[i % declaration.fields.length].name;
            if (value === undefined) delete record[name];
            else record[name] = value;
          }
          if (deleted !== undefined) record.deleted = deleted;
          const result = validateRecord(declaration, record, { index: 0 });
          const expected = result.ok || result.errors.every((e) => VALUE_COMPARISONS.has(e.rule));
          expect(schemaAccepts(source, record)).toBe(expected);
        },
      ),
      { numRuns: 3000 },
    );
  });
});
