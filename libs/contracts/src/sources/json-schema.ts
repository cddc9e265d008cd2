import { MUNICIPALITIES } from '@sozialmonitor/regions';
import { INDICATOR_IDS } from '../indicator-ids';
import { NATIONALITY_CODES } from './country-codes';
import { DELETED_FIELD, type FieldDeclaration, type RecordRule, type SourceDeclaration } from './source-declaration';

/**
 * The JSON Schema (draft 2020-12) of one source's records as a JSON/NDJSON delivery carries them,
 * for `GET /api/v1/sources`. CSV deliveries carry the same fields as text and are coerced (empty cell
 * = null, booleans also 1/0). A record is either a retraction (`deleted: true`, only recordId
 * required, other declared fields ignored) or a full record. Rules that compare two values (spell
 * order, birth date) cannot be written in JSON Schema except `null_together`; they are listed in the
 * schema's description and enforced by `validateRecord`.
 */
export type JsonSchema = Record<string, unknown>;

const DATE_PATTERN = '^(19[0-9]{2}|20[0-9]{2}|2100)-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$';

function typeSchema(field: FieldDeclaration): JsonSchema {
  const t = field.type;
  switch (t.kind) {
    case 'recordId':
      return { type: 'string', pattern: '^[A-Za-z0-9._:-]{1,64}$' };
    case 'string':
      return { type: 'string', minLength: t.minLength, maxLength: t.maxLength };
    case 'date':
      return { type: 'string', format: 'date', pattern: DATE_PATTERN };
    case 'enum':
      return { type: 'string', enum: [...t.values] };
    case 'boolean':
      return { type: 'boolean' };
    case 'integer':
      return { type: 'integer', minimum: t.min, maximum: t.max };
    case 'number':
      return {
        type: 'number',
        ...(t.min !== undefined && { minimum: t.min }),
        ...(t.max !== undefined && { maximum: t.max }),
      };
    case 'ags':
      return { type: 'string', enum: MUNICIPALITIES.map((m) => m.ags).sort() };
    case 'nationality':
      return { type: 'string', enum: [...NATIONALITY_CODES] };
    case 'postalCode':
      return { type: 'string', pattern: '^[0-9]{5}$' };
    case 'indicatorId':
      return { type: 'string', enum: [...INDICATOR_IDS] };
  }
}

function fieldSchema(field: FieldDeclaration): JsonSchema {
  const base = { description: `${field.description} [privacy: ${field.privacy.kind}]` };
  const type = typeSchema(field);
  return field.required ? { ...base, ...type } : { ...base, anyOf: [type, { type: 'null' }] };
}

function ruleText(rule: RecordRule): string {
  switch (rule.rule) {
    case 'date_order':
      return `${rule.later} must be later than ${rule.earlier}`;
    case 'birth_date_order':
      return (
        `${rule.birth} must not lie after ${rule.reference}` +
        (rule.equalWhen ? ` and must equal it when ${rule.equalWhen.field} is ${rule.equalWhen.value}` : '')
      );
    case 'null_together':
      return `${rule.field} is null exactly when ${rule.with} is null`;
  }
}

function nullTogether(rule: Extract<RecordRule, { rule: 'null_together' }>): JsonSchema {
  return {
    if: { properties: { [rule.with]: { type: 'null' } } },
    then: { properties: { [rule.field]: { type: 'null' } } },
    else: { required: [rule.field], properties: { [rule.field]: { not: { type: 'null' } } } },
  };
}

export function jsonSchemaOf(declaration: SourceDeclaration): JsonSchema {
  const names = declaration.fields.map((f) => f.name);
  const recordIdField = declaration.fields.find((f) => f.name === 'recordId')!;
  const properties: Record<string, JsonSchema> = {};
  for (const f of declaration.fields) properties[f.name] = fieldSchema(f);
  properties[DELETED_FIELD] = { description: 'false or absent: a record.', enum: [false, null] };

  const full: JsonSchema = {
    title: 'record',
    type: 'object',
    properties,
    required: declaration.fields.filter((f) => f.required).map((f) => f.name),
    additionalProperties: false,
  };
  const together = declaration.rules.filter(
    (r): r is Extract<RecordRule, { rule: 'null_together' }> => r.rule === 'null_together',
  );
  if (together.length > 0) full.allOf = together.map(nullTogether);

  const retraction: JsonSchema = {
    title: 'retraction',
    type: 'object',
    properties: { recordId: typeSchema(recordIdField), [DELETED_FIELD]: { const: true } },
    required: ['recordId', DELETED_FIELD],
    propertyNames: { enum: [...names, DELETED_FIELD] },
  };

  const rules = declaration.rules.map(ruleText);
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: `urn:sozialmonitor:source:${declaration.name}`,
    title: declaration.title,
    description:
      declaration.description +
      (rules.length > 0 ? ` Rules across fields: ${rules.join('; ')}.` : '') +
      ' Dates are real calendar dates between 1900-01-01 and 2100-12-31.',
    oneOf: [full, retraction],
  };
}
