import { applyDecorators } from '@nestjs/common';
import { ApiHeader, ApiQuery, ApiResponse } from '@nestjs/swagger';
import type { HeadersObject, ReferenceObject, SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { ApiOptionalBearer, ApiProblems, componentSchema } from '@sozialmonitor/platform';
import { INDICATOR_IDS } from '@sozialmonitor/contracts/indicator-ids';
import { CATEGORIES } from '@sozialmonitor/indicators/catalogue';
import { computedRegions } from '@sozialmonitor/regions';

/** OpenAPI schemas and parameters of the publication answers (views.ts, value-record.ts, query-parameters.ts). */

/** The municipalities of Kreis Pinneberg and the county: the regions with values. */
export const REGION_CODES = computedRegions().map((r) => r.code);

const LOCALIZED: SchemaObject = {
  type: 'object',
  required: ['de', 'en'],
  properties: { de: { type: 'string' }, en: { type: 'string' } },
};
const LEVEL: SchemaObject = { type: 'string', enum: ['municipality', 'county', 'state', 'country'] };
const NULLABLE_NUMBER: SchemaObject = { type: 'number', nullable: true };
/** A break in a series (catalogue entry `breaks`): values from `year` on are not comparable with earlier ones. */
const BREAK: SchemaObject = {
  type: 'object',
  required: ['year', 'note'],
  properties: { year: { type: 'integer', example: 2022 }, note: LOCALIZED },
};

export const REGIONS_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['regions'],
  properties: {
    regions: {
      type: 'array',
      items: {
        type: 'object',
        required: ['code', 'name', 'level', 'parent'],
        properties: {
          code: { type: 'string', description: 'AGS: 8 digits for a municipality, 01056 for the county' },
          name: { type: 'string' },
          level: LEVEL,
          parent: { type: 'string', nullable: true },
        },
      },
    },
  },
};

/** A catalogue entry as published: the list of indicators and a single one answer it. */
export const INDICATOR_SCHEMA = componentSchema('Indicator', {
  type: 'object',
  required: [
    'id',
    'version',
    'status',
    'category',
    'names',
    'description',
    'unit',
    'decimals',
    'formula',
    'sources',
    'share',
  ],
  properties: {
    id: { type: 'string', example: 'births_per_1000' },
    version: { type: 'integer', minimum: 1 },
    status: { type: 'string', enum: ['active', 'retired'] },
    category: { type: 'string', enum: [...CATEGORIES] },
    names: LOCALIZED,
    description: LOCALIZED,
    unit: { type: 'string', example: '‰' },
    decimals: { type: 'integer', minimum: 0 },
    formula: { type: 'string', description: 'The formula as text (libs/indicators/README.md)' },
    sources: { type: 'array', items: { type: 'string' } },
    share: { type: 'boolean', description: 'The numerator counts a part of the denominator’s persons' },
    kind: { type: 'string', enum: ['formula', 'index'], description: 'index: a composite social index (z-scores)' },
    index: {
      type: 'object',
      description: 'A composite index: its inputs (indicator, weight, direction) and classes (libs/indicators/README.md)',
    },
    breaks: { type: 'array', items: BREAK },
  },
});

export const CATALOGUE_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['catalogueVersion', 'indicators'],
  properties: { catalogueVersion: { type: 'integer' }, indicators: { type: 'array', items: INDICATOR_SCHEMA } },
};

const REGION_VIEW: SchemaObject = {
  type: 'object',
  required: ['code', 'name', 'level'],
  properties: { code: { type: 'string' }, name: { type: 'string' }, level: LEVEL },
};

/** One published value without its region and period (a profile entry adds the indicator instead). */
const VALUE_PROPERTIES: Record<string, SchemaObject | ReferenceObject> = {
  value: { ...NULLABLE_NUMBER, description: 'null when suppressed or undefined (see reason)' },
  suppressed: { type: 'boolean' },
  reason: { type: 'string', enum: ['primary', 'secondary', 'denominator_zero', 'no_data'] },
  comparison: componentSchema('Comparison', {
    type: 'object',
    description: 'The county value (for municipalities only), the state and Germany (years only; otherwise null)',
    required: ['state', 'germany'],
    properties: { county: NULLABLE_NUMBER, state: NULLABLE_NUMBER, germany: NULLABLE_NUMBER },
  }),
  revised: { type: 'boolean', description: 'The value differs from its first publication' },
  indicatorVersion: { type: 'integer', description: 'The indicator version the value was computed with' },
  class: { type: 'string', example: 'low', description: 'A composite index: the id of its class (catalogue entry index.classes)' },
  break: { ...LOCALIZED, description: 'The note of a break in the series in this year' },
};
const VALUE_REQUIRED = ['value', 'suppressed', 'comparison', 'revised'];

const PERIOD: SchemaObject = {
  type: 'string',
  pattern: '^\\d{4}(-\\d{2}-\\d{2})?$',
  description: 'YYYY for a year, YYYY-MM-DD for a Stichtag',
};

export const VALUE_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['region', 'period', ...VALUE_REQUIRED],
  properties: { region: REGION_VIEW, period: PERIOD, ...VALUE_PROPERTIES },
};

export const VALUES_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['indicator', 'values'],
  properties: {
    indicator: {
      type: 'object',
      required: ['id', 'unit', 'version'],
      properties: {
        id: { type: 'string' },
        unit: { type: 'string' },
        version: { type: 'integer', description: 'The definition in use (with asOf: the one active then)' },
        status: { type: 'string', enum: ['retired'], description: 'Only for a retired indicator' },
        breaks: { type: 'array', items: BREAK, description: 'Breaks in the series between the answered periods' },
      },
    },
    asOf: { type: 'string', format: 'date-time', description: 'Present when asked with asOf (normalised to UTC)' },
    values: { type: 'array', items: VALUE_SCHEMA },
  },
};

export const PROFILE_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['region', 'period', 'values'],
  properties: {
    region: REGION_VIEW,
    period: PERIOD,
    asOf: { type: 'string', format: 'date-time' },
    values: {
      type: 'array',
      items: {
        type: 'object',
        required: ['indicator', ...VALUE_REQUIRED],
        properties: {
          indicator: {
            type: 'object',
            required: ['id', 'names', 'unit', 'category', 'version'],
            properties: {
              id: { type: 'string' },
              names: LOCALIZED,
              unit: { type: 'string' },
              category: { type: 'string', enum: [...CATEGORIES] },
              version: { type: 'integer' },
            },
          },
          ...VALUE_PROPERTIES,
        },
      },
    },
  },
};

/** The headers of every cacheable answer (responder.ts). */
export const CACHING_HEADERS: HeadersObject = {
  ETag: {
    required: true,
    description: 'Strong validator of the representation; send it back in If-None-Match',
    schema: { type: 'string' },
  },
  'Cache-Control': {
    required: true,
    description: 'How long and by whom the answer may be kept',
    schema: { type: 'string' },
  },
  Vary: {
    required: true,
    description: 'Accept; also Accept-Encoding where the answer is sent compressed (gzip, br) when asked',
    schema: { type: 'string', enum: ['Accept', 'Accept, Accept-Encoding'] },
  },
  'Content-Encoding': {
    required: false,
    description: 'gzip or br when the request accepted it (prepared answers of at least 1 KiB)',
    schema: { type: 'string', enum: ['gzip', 'br'] },
  },
};

/**
 * The answers of a cacheable read (responder.ts): 200 as JSON (and CSV where offered) with ETag,
 * Cache-Control and Vary, 304 for a current If-None-Match, 406 for an Accept it cannot meet.
 */
export function ApiCachedRead(json: SchemaObject | ReferenceObject, options: { csv?: boolean; description?: string } = {}) {
  return applyDecorators(
    ApiHeader({
      name: 'If-None-Match',
      required: false,
      description: 'An ETag of an earlier answer: 304 without a body when it is still current',
    }),
    ApiResponse({
      status: 200,
      description: options.description ?? 'OK',
      headers: { ...CACHING_HEADERS, 'X-Cache': X_CACHE },
      content: {
        'application/json': { schema: json },
        ...(options.csv
          ? { 'text/csv': { schema: { type: 'string', description: 'The same as CSV (header row)' } } }
          : {}),
      },
    }),
    ApiResponse({ status: 304, description: 'Not modified (If-None-Match matched)', headers: CACHING_HEADERS }),
    ApiProblems({
      406: `Accept names no type this resource has (${options.csv ? 'application/json, text/csv' : 'application/json'})`,
    }),
  );
}

const X_CACHE = {
  description: 'Where the values came from: hit (Redis), miss (MongoDB, then cached), bypass (Redis unavailable)',
  schema: { type: 'string', enum: ['hit', 'miss', 'bypass'] },
};

/** `date`: a calendar date or `today` (not in the future, not before 1990: the operation descriptions say so). */
export const DATE_PARAMETER_SCHEMA: SchemaObject = {
  anyOf: [
    { type: 'string', format: 'date' },
    { type: 'string', enum: ['today'] },
  ],
  example: '2024-06-30',
};

export const YEAR_PARAMETER_SCHEMA: SchemaObject = { type: 'integer', minimum: 1990, maximum: 9999 };

export const AS_OF_PARAMETER_SCHEMA: SchemaObject = {
  type: 'string',
  format: 'date-time',
  example: '2026-01-31T12:00:00Z',
};

/** An indicator id of the catalogue (the list of libs/contracts, kept in step with the catalogue by a test). */
export const INDICATOR_ID_SCHEMA: SchemaObject = { type: 'string', enum: [...INDICATOR_IDS] };

/** An indicator id in a path: any id-like string (an id not in the catalogue is a 404). */
export const INDICATOR_PATH_ID_SCHEMA: SchemaObject = {
  type: 'string',
  pattern: '^[a-z0-9_]{1,64}$',
  example: 'births_per_1000',
};

/** The errors of a query over periods (values, profile): PeriodRequests' 400/401/403 and the resource's 404. */
export function ApiPeriodQueryProblems(notFound: string) {
  return ApiProblems({
    400: 'A bad parameter, or a rule between parameters broken (named in the problem)',
    401: 'A date that needs the analyst role, without a valid token',
    403: 'A date that needs the analyst role, with a token without it',
    404: notFound,
  });
}

/** `date` and `asOf` of a query over periods, and the optional token that widens which dates may be asked. */
export function ApiStichtagQuery() {
  return applyDecorators(
    ApiQuery({
      name: 'date',
      required: false,
      schema: DATE_PARAMETER_SCHEMA,
      description: 'YYYY-MM-DD (a Stichtag) or today',
    }),
    ApiQuery({ name: 'asOf', required: false, schema: AS_OF_PARAMETER_SCHEMA, description: 'RFC 3339 date-time' }),
    ApiOptionalBearer(),
  );
}
