import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiExtension, ApiResponse, ApiSecurity } from '@nestjs/swagger';
import type {
  ContentObject,
  HeadersObject,
  SchemaObject,
} from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';

/** The name under `components/schemas` of the RFC 9457 problem document every error answer carries. */
export const PROBLEM_SCHEMA_NAME = 'Problem';
export const PROBLEM_REF = { $ref: `#/components/schemas/${PROBLEM_SCHEMA_NAME}` };
export const PROBLEM_MEDIA_TYPE = 'application/problem+json';

/** RFC 9457 problem details as ProblemDetailsFilter writes them (api.md: type, title, status, detail, errors). */
export const PROBLEM_SCHEMA: SchemaObject = {
  type: 'object',
  description: 'RFC 9457 problem details (application/problem+json)',
  required: ['type', 'title', 'status'],
  properties: {
    type: {
      type: 'string',
      description: 'A URI naming the kind of problem',
      example: 'https://sozialmonitor.example/problems/invalid-query-parameter',
    },
    title: { type: 'string', example: 'Invalid query parameter' },
    status: { type: 'integer', minimum: 400, maximum: 599 },
    detail: {
      type: 'string',
      description: 'What was wrong, naming the parameter, field or rule (never a submitted value)',
    },
    instance: { type: 'string', description: 'The path of the request' },
    errors: {
      type: 'array',
      description: 'Where there are several: one entry per bad parameter or field',
      items: { type: 'object', additionalProperties: true },
    },
  },
  additionalProperties: true,
};

/** A `Retry-After` response header (seconds). */
export const RETRY_AFTER_HEADER: HeadersObject = {
  'Retry-After': { description: 'Seconds to wait before trying again', schema: { type: 'integer', minimum: 0 } },
};

/** One error answer with the problem document as its body. */
export function ApiProblem(status: number, description: string, headers?: HeadersObject) {
  return ApiResponse({
    status,
    description,
    content: { [PROBLEM_MEDIA_TYPE]: { schema: PROBLEM_REF } },
    ...(headers ? { headers } : {}),
  });
}

/** Several error answers: `@ApiProblems({ 400: 'a bad parameter', 404: 'unknown id' })`. */
export function ApiProblems(responses: Record<number, string>) {
  return applyDecorators(
    ...Object.entries(responses).map(([status, description]) => ApiProblem(Number(status), description)),
  );
}

/**
 * A public operation where a token only widens access (e.g. the analyst's arbitrary Stichtage): security
 * `[{}, {bearer: []}]`, i.e. anonymous or bearer.
 */
export function ApiOptionalBearer() {
  return applyDecorators(ApiSecurity({}), ApiBearerAuth());
}

/** The operation extension that carries `ApiRequestContent`'s media types until buildOpenApiDocument moves them. */
export const REQUEST_CONTENT_EXTENSION = 'x-sozialmonitor-request-content';

/**
 * A request body with a schema per media type (`@ApiBody` applies one schema to every type): a JSON array
 * for `application/json`, text for CSV, … buildOpenApiDocument puts it into `requestBody.content`.
 */
export function ApiRequestContent(content: ContentObject, options: { description?: string; required?: boolean } = {}) {
  return ApiExtension(REQUEST_CONTENT_EXTENSION, {
    content,
    description: options.description,
    required: options.required ?? true,
  });
}
