import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';

/** OpenAPI schemas of the internal answers: KpiValuePayload (libs/contracts, docs/asyncapi.yaml kpiValue). */
const NULLABLE_NUMBER: SchemaObject = { type: 'number', nullable: true };

export const KPI_VALUE_SCHEMA: SchemaObject = {
  type: 'object',
  required: [
    'indicatorId',
    'indicatorVersion',
    'region',
    'period',
    'unit',
    'value',
    'suppressed',
    'comparison',
    'computedAt',
  ],
  properties: {
    indicatorId: { type: 'string' },
    indicatorVersion: { type: 'integer', minimum: 1 },
    region: {
      type: 'object',
      required: ['code', 'level', 'name'],
      properties: {
        code: { type: 'string' },
        level: { type: 'string', enum: ['municipality', 'county', 'state', 'country'] },
        name: { type: 'string' },
      },
    },
    period: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'The Stichtag asked for' },
    unit: { type: 'string' },
    value: { ...NULLABLE_NUMBER, description: 'null when suppressed or undefined (see reason)' },
    suppressed: { type: 'boolean' },
    reason: { type: 'string', enum: ['primary', 'secondary', 'denominator_zero', 'no_data'] },
    comparison: {
      type: 'object',
      required: ['state', 'germany'],
      properties: { county: NULLABLE_NUMBER, state: NULLABLE_NUMBER, germany: NULLABLE_NUMBER },
    },
    computedAt: { type: 'string', format: 'date-time' },
  },
};

export const CATALOGUE_ENTRY_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['id', 'version', 'status', 'unit'],
  properties: {
    id: { type: 'string' },
    version: { type: 'integer', minimum: 1 },
    status: { type: 'string', enum: ['active', 'retired'] },
    unit: { type: 'string' },
  },
};
