/**
 * Builders of lake records for the unit tests (anonymized shape: pseudonyms, birthMonth,
 * nationalityGroup). Not exported from the library's index.
 */
import type { LakeFieldValue, LakeRecord } from '@sozialmonitor/contracts';

export const ELMSHORN = '01056015';
export const PINNEBERG = '01056039';
export const WEDEL = '01056050';
export const APPEN = '01056001';
export const COUNTY = '01056';

type Fields = Record<string, LakeFieldValue>;
let sequence = 0;
const nextId = (prefix: string): string => `${prefix}-${++sequence}`;

export function population(f: Fields & { personId: string; ags: string; validFrom: string }): LakeRecord {
  return {
    source: 'population',
    recordId: nextId('pop'),
    pseudonymKeyId: 'k1',
    birthMonth: '1980-01',
    sex: 'm',
    nationalityGroup: 'german',
    validTo: null,
    startReason: 'initial',
    endReason: f.validTo ? 'move_out' : null,
    ...f,
  };
}

export function sgb2(
  f: Fields & { personId: string; householdId: string; ags: string; validFrom: string },
): LakeRecord {
  return {
    source: 'sgb2',
    recordId: nextId('sgb2'),
    pseudonymKeyId: 'k1',
    birthMonth: '1980-01',
    sex: 'm',
    nationalityGroup: 'german',
    validTo: null,
    employable: true,
    ...f,
  };
}

export function unemployment(f: Fields & { personId: string; ags: string; validFrom: string }): LakeRecord {
  return {
    source: 'unemployment',
    recordId: nextId('ue'),
    pseudonymKeyId: 'k1',
    birthMonth: '1980-01',
    sex: 'm',
    nationalityGroup: 'german',
    validTo: null,
    legalBasis: 'sgb3',
    ...f,
  };
}

export function childcare(f: Fields & { childId: string; ags: string; validFrom: string }): LakeRecord {
  return {
    source: 'childcare',
    recordId: nextId('cc'),
    pseudonymKeyId: 'k1',
    birthMonth: '2021-01',
    validTo: null,
    hoursPerWeek: 30,
    careType: 'kita',
    ...f,
  };
}

export function youthWelfare(f: Fields & { personId: string; ags: string; validFrom: string }): LakeRecord {
  return {
    source: 'youth_welfare',
    recordId: nextId('yw'),
    pseudonymKeyId: 'k1',
    birthMonth: '2010-01',
    sex: 'm',
    validTo: null,
    paragraph: '27',
    ...f,
  };
}

export function housingBenefit(f: Fields & { householdId: string; ags: string; validFrom: string }): LakeRecord {
  return {
    source: 'housing_benefit',
    recordId: nextId('wg'),
    pseudonymKeyId: 'k1',
    validTo: null,
    householdSize: 1,
    ...f,
  };
}

export function basicIncomeElderly(f: Fields & { personId: string; ags: string; validFrom: string }): LakeRecord {
  return {
    source: 'basic_income_elderly',
    recordId: nextId('gs'),
    pseudonymKeyId: 'k1',
    birthMonth: '1950-01',
    sex: 'f',
    validTo: null,
    reason: 'age',
    ...f,
  };
}

export function referenceValue(f: {
  indicatorId: string;
  regionCode: string;
  year: number;
  value: number;
  recordId?: string;
}): LakeRecord {
  return { source: 'reference_values', recordId: nextId('ref'), publisher: 'Statistikamt Nord', ...f };
}
