import { INDICATOR_IDS } from '../indicator-ids';
import { SAMPLE_RECORDS } from './sample-records';
import { SOURCE_NAMES, SOURCES, sourceDeclaration } from './registry';
import { NATIONALITY_CODES, ISO_COUNTRY_CODES } from './country-codes';

/** The field lists of spec/sources.md, PII fields marked with *. */
const SPEC: Record<string, string> = {
  population:
    'recordId personId* firstName* lastName* birthDate* sex nationality street* houseNumber* postalCode* ags validFrom validTo startReason endReason',
  sgb2: 'recordId personId* firstName* lastName* birthDate* sex nationality ags validFrom validTo householdId* employable',
  unemployment: 'recordId personId* birthDate* sex nationality ags validFrom validTo legalBasis',
  childcare: 'recordId childId* firstName* lastName* birthDate* ags validFrom validTo hoursPerWeek careType',
  youth_welfare: 'recordId personId* birthDate* sex ags validFrom validTo paragraph',
  housing_benefit:
    'recordId householdId* applicantName* street* houseNumber* postalCode* ags validFrom validTo householdSize',
  basic_income_elderly: 'recordId personId* firstName* lastName* birthDate* sex ags validFrom validTo reason',
  reference_values: 'recordId indicatorId regionCode year value publisher',
};

describe('source declarations', () => {
  it('declare exactly the eight sources of the spec', () => {
    expect(SOURCE_NAMES).toEqual(Object.keys(SPEC));
    expect(sourceDeclaration('population')?.name).toBe('population');
    expect(sourceDeclaration('unknown')).toBeUndefined();
    expect(Object.keys(SAMPLE_RECORDS).sort()).toEqual([...SOURCE_NAMES].sort());
  });

  it.each(Object.entries(SPEC))('%s declares the fields of the spec, with PII never kept as it is', (name, spec) => {
    const d = sourceDeclaration(name)!;
    const fields = spec.split(' ');
    expect(d.fields.map((f) => f.name)).toEqual(fields.map((f) => f.replace('*', '')));
    for (const f of d.fields) {
      const pii = fields.includes(`${f.name}*`);
      if (pii) expect(f.privacy.kind).not.toBe('attribute');
      else if (f.name === 'nationality')
        expect(f.privacy).toEqual({ kind: 'quasi', generalization: 'nationalityGroup' });
      else expect(f.privacy.kind).toBe('attribute');
    }
  });

  it('pseudonymizes person and child ids in domain person, household ids in domain household; drops names and addresses', () => {
    for (const d of SOURCES) {
      for (const f of d.fields) {
        if (['personId', 'childId'].includes(f.name))
          expect(f.privacy).toEqual({ kind: 'identifier', domain: 'person' });
        if (f.name === 'householdId') expect(f.privacy).toEqual({ kind: 'identifier', domain: 'household' });
        if (['firstName', 'lastName', 'applicantName', 'street', 'houseNumber', 'postalCode'].includes(f.name))
          expect(f.privacy).toEqual({ kind: 'direct' });
        if (f.name === 'birthDate') expect(f.privacy).toEqual({ kind: 'quasi', generalization: 'birthMonth' });
      }
    }
  });

  it('spell sources check validTo > validFrom and (where a birth date exists) the birth date', () => {
    for (const d of SOURCES) {
      const names = d.fields.map((f) => f.name);
      if (names.includes('validFrom'))
        expect(d.rules).toContainEqual({ rule: 'date_order', earlier: 'validFrom', later: 'validTo' });
      if (names.includes('birthDate')) expect(d.rules.some((r) => r.rule === 'birth_date_order')).toBe(true);
    }
  });

  it('lists the 45 indicator ids of the catalogue (44 + the social status index) and the 249 ISO countries plus XK and XX', () => {
    expect(INDICATOR_IDS).toHaveLength(45);
    expect(new Set(INDICATOR_IDS).size).toBe(45);
    expect(ISO_COUNTRY_CODES).toHaveLength(249);
    expect(new Set(NATIONALITY_CODES).size).toBe(251);
    expect(NATIONALITY_CODES).toEqual(expect.arrayContaining(['DE', 'TR', 'PL', 'XX', 'XK']));
  });
});
