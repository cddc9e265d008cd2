import type { FieldDeclaration, RecordRule } from './source-declaration';

/**
 * The fields several sources share (spec/sources.md "Common rules"), so that every source declares
 * them the same way. Direct identifiers (names, address) are optional: they are dropped at the
 * anonymization interface anyway, and a record must not be rejected for lacking what nobody keeps.
 */
export const recordId: FieldDeclaration = {
  name: 'recordId',
  type: { kind: 'recordId' },
  required: true,
  privacy: { kind: 'attribute' },
  description: 'Opaque technical id, unique within the source; sending it again replaces the record.',
};

export const personId: FieldDeclaration = {
  name: 'personId',
  type: { kind: 'string', minLength: 1, maxLength: 64 },
  required: true,
  privacy: { kind: 'identifier', domain: 'person' },
  description: "The delivering register's person number. PII: replaced by a pseudonym (domain person).",
};

export const childId: FieldDeclaration = {
  ...personId,
  name: 'childId',
  description: "The child's id. PII: replaced by a pseudonym (domain person).",
};

export const householdId: FieldDeclaration = {
  name: 'householdId',
  type: { kind: 'string', minLength: 1, maxLength: 64 },
  required: true,
  privacy: { kind: 'identifier', domain: 'household' },
  description: 'The household or benefit unit number. PII: replaced by a pseudonym (domain household).',
};

const directText = (name: string, maxLength: number, description: string): FieldDeclaration => ({
  name,
  type: { kind: 'string', minLength: 1, maxLength },
  required: false,
  privacy: { kind: 'direct' },
  description: `${description} PII: dropped at the anonymization interface.`,
});

export const firstName = directText('firstName', 100, 'First name.');
export const lastName = directText('lastName', 100, 'Last name.');
export const applicantName = directText('applicantName', 100, "The applicant's name.");
export const street = directText('street', 100, 'Street.');
export const houseNumber = directText('houseNumber', 10, 'House number.');
export const postalCode: FieldDeclaration = {
  name: 'postalCode',
  type: { kind: 'postalCode' },
  required: false,
  privacy: { kind: 'direct' },
  description: 'Postal code (5 digits). PII: dropped at the anonymization interface.',
};

export const birthDate: FieldDeclaration = {
  name: 'birthDate',
  type: { kind: 'date' },
  required: true,
  privacy: { kind: 'quasi', generalization: 'birthMonth' },
  description: 'Date of birth. PII: generalized to birthMonth (YYYY-MM).',
};

export const sex: FieldDeclaration = {
  name: 'sex',
  type: { kind: 'enum', values: ['m', 'f', 'd', 'x'] },
  required: true,
  privacy: { kind: 'attribute' },
  description: 'm, f, d (diverse) or x (not stated).',
};

export const nationality: FieldDeclaration = {
  name: 'nationality',
  type: { kind: 'nationality' },
  required: true,
  privacy: { kind: 'quasi', generalization: 'nationalityGroup' },
  description:
    'ISO 3166-1 alpha-2 in upper case, or XX (stateless/unknown). Generalized to nationalityGroup (german/foreign).',
};

export const ags: FieldDeclaration = {
  name: 'ags',
  type: { kind: 'ags' },
  required: true,
  privacy: { kind: 'attribute' },
  description: 'Municipality key (AGS, 8 digits) of a municipality of the county.',
};

export const validFrom: FieldDeclaration = {
  name: 'validFrom',
  type: { kind: 'date' },
  required: true,
  privacy: { kind: 'attribute' },
  description: 'First day of the spell.',
};

export const validTo: FieldDeclaration = {
  name: 'validTo',
  type: { kind: 'date' },
  required: false,
  privacy: { kind: 'attribute' },
  description: 'Day after the last day of the spell (exclusive); null while the spell lasts.',
};

/** Spells: validTo must be later than validFrom. */
export const spellOrder: RecordRule = { rule: 'date_order', earlier: 'validFrom', later: 'validTo' };
/** Birth dates must not lie after the start of the spell. */
export const bornBeforeSpell: RecordRule = { rule: 'birth_date_order', birth: 'birthDate', reference: 'validFrom' };

export function enumField(name: string, values: readonly string[], description: string): FieldDeclaration {
  return { name, type: { kind: 'enum', values }, required: true, privacy: { kind: 'attribute' }, description };
}
