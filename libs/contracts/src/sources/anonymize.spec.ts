import { createHash, createHmac } from 'node:crypto';
import fc from 'fast-check';
import { parseKeyRing, Pseudonymizer } from '@sozialmonitor/privacy';
import { AnonymizationError, anonymize, lakeFieldsOf } from './anonymize';
import { SOURCES, sourceDeclaration } from './registry';
import { SAMPLE_RECORDS } from './sample-records';
import type { LakeRecord } from '../lake-record';
import type { SourceDeclaration } from './source-declaration';
import { validateRecord, type SourceRecord } from './validate-record';

const key = Buffer.from('anonymize-spec-key-0123456789abcdef-0123456789', 'utf8');
const pseudonymizer = new Pseudonymizer(parseKeyRing(`pk1:${key.toString('base64')}`, 'PSEUDONYM_KEYS'));
const hmac = (domain: string, value: string) =>
  createHmac('sha256', key).update(`${domain}:${value}`).digest('base64url');
const decl = (name: string): SourceDeclaration => sourceDeclaration(name)!;
/** For records that are not retractions. */
const lakeRecordOf = (source: string, record: Record<string, unknown>): LakeRecord =>
  anonymize(decl(source), record, pseudonymizer) as LakeRecord;

function validated(source: string, raw: Record<string, unknown> = SAMPLE_RECORDS[source]): SourceRecord {
  const result = validateRecord(decl(source), raw, { index: 0 });
  if (!result.ok) throw new Error(`sample invalid: ${JSON.stringify(result.errors)}`);
  return result.record;
}

describe('anonymize', () => {
  it('population: pseudonymizes, generalizes, drops direct identifiers, keeps attributes in a fixed order', () => {
    const lake = anonymize(decl('population'), validated('population'), pseudonymizer);
    expect(JSON.stringify(lake)).toBe(
      JSON.stringify({
        source: 'population',
        recordId: hmac('record:population', 'pop-1'),
        pseudonymKeyId: 'pk1',
        personId: hmac('person', 'P-100'),
        birthMonth: '1980-05',
        sex: 'f',
        nationalityGroup: 'german',
        ags: '01056015',
        validFrom: '2010-01-01',
        validTo: '2020-07-01',
        startReason: 'move_in',
        endReason: 'move_out',
      }),
    );
  });

  it('links one person across sources: the same personId gives the same pseudonym in population and sgb2', () => {
    const a = lakeRecordOf('population', validated('population'));
    const b = lakeRecordOf('sgb2', validated('sgb2'));
    expect(a.personId).toBe(b.personId);
    expect(b.householdId).toBe(hmac('household', 'BG-7'));
    expect(b.nationalityGroup).toBe('foreign');
  });

  it('childcare: childId is a person pseudonym', () => {
    const lake = lakeRecordOf('childcare', validated('childcare'));
    expect(lake.childId).toBe(hmac('person', 'K-55'));
  });

  it.each(SOURCES.map((d) => d.name))('%s: emits exactly the allow-listed fields', (source) => {
    const lake = anonymize(decl(source), validated(source), pseudonymizer);
    expect(Object.keys(lake)).toEqual(lakeFieldsOf(decl(source)));
  });

  it('reference_values: keeps every field but the recordId, which is a pseudonym like every source\'s', () => {
    expect(anonymize(decl('reference_values'), validated('reference_values'), pseudonymizer)).toEqual({
      source: 'reference_values',
      ...SAMPLE_RECORDS.reference_values,
      recordId: hmac('record:reference_values', SAMPLE_RECORDS.reference_values.recordId as string),
      pseudonymKeyId: 'pk1',
    });
  });

  it('keeps nulls of optional fields', () => {
    const lake = lakeRecordOf('sgb2', validated('sgb2'));
    expect(lake.validTo).toBeNull();
  });

  it('turns a retraction into a deletion marker', () => {
    expect(anonymize(decl('population'), { recordId: 'pop-1', deleted: true }, pseudonymizer)).toEqual({
      source: 'population',
      recordId: hmac('record:population', 'pop-1'),
      deleted: true,
    });
  });

  it('refuses a field outside the declaration, naming the field and not the value', () => {
    const record = { ...validated('population'), religion: 'Canary-Value-123' };
    expect(() => anonymize(decl('population'), record, pseudonymizer)).toThrow(AnonymizationError);
    expect(() => anonymize(decl('population'), record, pseudonymizer)).toThrow(
      'field religion: is not in the allow-list of the source',
    );
    try {
      anonymize(decl('population'), record, pseudonymizer);
    } catch (e) {
      expect((e as AnonymizationError).field).toBe('religion');
      expect(String(e)).not.toContain('Canary');
    }
  });

  it.each([
    [{ recordId: 'bad id' }, 'field recordId: is missing or not a valid record id'],
    [{ personId: 17 }, 'field personId: is not a non-empty string'],
    [{ birthDate: '14.02.1990' }, 'field birthDate: cannot be generalized to birthMonth'],
    [{ nationality: 'deu' }, 'field nationality: cannot be generalized to nationalityGroup'],
    [{ sex: { nested: 'x' } }, 'field sex: is not a scalar value'],
    [{ deleted: 'yes' }, 'field deleted: is not a boolean'],
  ])('refuses what cannot be anonymized: %j', (patch, message) => {
    const attempt = () => anonymize(decl('population'), { ...validated('population'), ...patch }, pseudonymizer);
    expect(attempt).toThrow(AnonymizationError);
    expect(attempt).toThrow(message);
  });

  it('is deterministic: the same record in any key order gives byte-identical JSON', () => {
    fc.assert(
      fc.property(fc.constantFrom(...SOURCES.map((d) => d.name)), fc.nat(), (source, seed) => {
        const record = validated(source);
        const entries = Object.entries(record);
        const shuffled = Object.fromEntries(
          entries
            .map((e, i) => [e, (i * 7919 + seed) % 104729] as const)
            .sort((a, b) => a[1] - b[1])
            .map(([e]) => e),
        );
        const again = new Pseudonymizer(parseKeyRing(`pk1:${key.toString('base64')}`, 'PSEUDONYM_KEYS'));
        expect(JSON.stringify(anonymize(decl(source), shuffled, again))).toBe(
          JSON.stringify(anonymize(decl(source), record, pseudonymizer)),
        );
      }),
    );
  });
});

describe('anonymize: canary', () => {
  /** A unique, valid value for every PII field: planted, then searched for in the output. */
  function canaryValue(source: string, field: string, n: number): string {
    const tag = `${source.replace(/_/g, '')}${field}`;
    switch (field) {
      case 'birthDate':
        return `19${String(10 + n).padStart(2, '0')}-0${1 + (n % 9)}-${String(11 + n).padStart(2, '0')}`;
      case 'postalCode':
        return String(90417 + n * 113);
      case 'houseNumber':
        return `${71 + n}q`;
      case 'firstName':
      case 'lastName':
      case 'applicantName':
        return `Kanarien${tag}Vogel`;
      case 'street':
        return `Kanarienweg${tag}`;
      default:
        return `CANARY-${tag}-${n}`;
    }
  }

  const forms = (value: string): string[] => [
    value,
    value.toLowerCase(),
    createHash('sha256').update(value).digest('hex'),
    createHash('sha256').update(value).digest('base64'),
    createHash('sha256').update(value).digest('base64url'),
    createHash('md5').update(value).digest('hex'),
    createHash('sha1').update(value).digest('hex'),
  ];

  it.each(SOURCES.map((d) => d.name))(
    '%s: no planted PII value, nor its plain hash, appears in the lake record',
    (source) => {
      const declaration = decl(source);
      const raw: Record<string, unknown> = { ...SAMPLE_RECORDS[source] };
      const planted: string[] = [];
      declaration.fields.forEach((f, n) => {
        if (
          f.privacy.kind === 'identifier' ||
          f.privacy.kind === 'direct' ||
          (f.privacy.kind === 'quasi' && f.name === 'birthDate')
        ) {
          raw[f.name] = canaryValue(source, f.name, n);
          planted.push(raw[f.name] as string);
        }
      });
      const lake = JSON.stringify(anonymize(declaration, validated(source, raw), pseudonymizer));
      if (source !== 'reference_values') expect(planted.length).toBeGreaterThanOrEqual(2);
      for (const value of planted) for (const form of forms(value)) expect(lake).not.toContain(form);
    },
  );
});
