/**
 * The sources the generator writes and their fields in the order of spec/sources.md (CSV header
 * order and JSON key order).
 */
export const SOURCE_FIELDS = {
  population: [
    'recordId',
    'personId',
    'firstName',
    'lastName',
    'birthDate',
    'sex',
    'nationality',
    'street',
    'houseNumber',
    'postalCode',
    'ags',
    'validFrom',
    'validTo',
    'startReason',
    'endReason',
  ],
  sgb2: [
    'recordId',
    'personId',
    'firstName',
    'lastName',
    'birthDate',
    'sex',
    'nationality',
    'ags',
    'validFrom',
    'validTo',
    'householdId',
    'employable',
  ],
  unemployment: [
    'recordId',
    'personId',
    'birthDate',
    'sex',
    'nationality',
    'ags',
    'validFrom',
    'validTo',
    'legalBasis',
  ],
  childcare: [
    'recordId',
    'childId',
    'firstName',
    'lastName',
    'birthDate',
    'ags',
    'validFrom',
    'validTo',
    'hoursPerWeek',
    'careType',
  ],
  youth_welfare: ['recordId', 'personId', 'birthDate', 'sex', 'ags', 'validFrom', 'validTo', 'paragraph'],
  housing_benefit: [
    'recordId',
    'householdId',
    'applicantName',
    'street',
    'houseNumber',
    'postalCode',
    'ags',
    'validFrom',
    'validTo',
    'householdSize',
  ],
  basic_income_elderly: [
    'recordId',
    'personId',
    'firstName',
    'lastName',
    'birthDate',
    'sex',
    'ags',
    'validFrom',
    'validTo',
    'reason',
  ],
  reference_values: ['recordId', 'indicatorId', 'regionCode', 'year', 'value', 'publisher'],
} as const;

export type SourceName = keyof typeof SOURCE_FIELDS;
export const SOURCE_NAMES = Object.keys(SOURCE_FIELDS) as SourceName[];

export type FieldValue = string | number | boolean | null;
/** A record as delivered: field name → value (null = empty). */
export type SourceRecord = Record<string, FieldValue>;

/** Record-id prefixes per source (technical, not personal). */
export const RECORD_ID_PREFIX: Record<SourceName, string> = {
  population: 'pop',
  sgb2: 'sgb2',
  unemployment: 'alo',
  childcare: 'kita',
  youth_welfare: 'hze',
  housing_benefit: 'wg',
  basic_income_elderly: 'grusi',
  reference_values: 'rv',
};
