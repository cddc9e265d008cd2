import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import type { ResponseObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import {
  PROBLEM_MEDIA_TYPE,
  PROBLEM_REF,
  PROBLEM_SCHEMA,
  PROBLEM_SCHEMA_NAME,
  REQUEST_CONTENT_EXTENSION,
} from './problem-responses';
import { addComponentSchemas } from './component-schemas';
import { responseRef, shareRepeatedResponses } from './shared-responses';

/** The longest path parameter the router (createHttpService) passes on to a handler: longer is a 414. */
export const MAX_PARAM_LENGTH = 1000;

export interface OpenApiInfo {
  title: string;
  description: string;
  version?: string;
}

/**
 * The problem answers the document builder itself gives operations (not their decorators): declared
 * once under `components/responses`, referenced by every operation that has them.
 */
const BUILDER_RESPONSES = {
  // The router refuses a longer path parameter before any handler sees it.
  UriTooLong: {
    description: `A path parameter longer than ${MAX_PARAM_LENGTH} characters`,
    content: { [PROBLEM_MEDIA_TYPE]: { schema: PROBLEM_REF } },
  },
  // Every route but the health checks is under the per-client rate limit (http-limits.ts, api.md)
  TooManyRequests: {
    description: 'More requests from this client than HTTP_RATE_LIMIT_PER_MINUTE: try again after Retry-After seconds',
    headers: {
      'Retry-After': { description: 'Seconds until the client may try again', schema: { type: 'integer', minimum: 1 } },
    },
    content: { [PROBLEM_MEDIA_TYPE]: { schema: PROBLEM_REF } },
  },
} satisfies Record<string, ResponseObject>;

/**
 * The service's OpenAPI document: what `/api/openapi.json` serves and what `npm run openapi` writes to
 * docs/openapi/ (from which the TypeScript clients' types are generated). One function for both, so
 * that the committed document is the served one. A response several operations declare alike is
 * declared once under `components/responses` (shareRepeatedResponses).
 */
export function buildOpenApiDocument(app: INestApplication, info: OpenApiInfo): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle(info.title)
    .setDescription(info.description)
    .setVersion(info.version ?? '1')
    .addBearerAuth()
    .build();
  const document = SwaggerModule.createDocument(app, config);
  const used = new Set<keyof typeof BUILDER_RESPONSES>();
  for (const [route, path] of Object.entries(document.paths)) {
    for (const operation of Object.values(path) as Array<Record<string, unknown>>) {
      const body = operation?.[REQUEST_CONTENT_EXTENSION];
      if (body) {
        delete operation[REQUEST_CONTENT_EXTENSION];
        operation.requestBody = body;
      }
      const parameters = (operation?.parameters ?? []) as Array<{ in?: string }>;
      const responses = operation?.responses as Record<string, unknown> | undefined;
      const add = (status: string, name: keyof typeof BUILDER_RESPONSES) => {
        if (!responses || responses[status]) return;
        responses[status] = responseRef(name);
        used.add(name);
      };
      if (parameters.some((p) => p.in === 'path')) add('414', 'UriTooLong');
      if (!route.startsWith('/health/')) add('429', 'TooManyRequests');
    }
  }
  document.components = {
    ...document.components,
    schemas: { ...document.components?.schemas, [PROBLEM_SCHEMA_NAME]: PROBLEM_SCHEMA },
    responses: {
      ...document.components?.responses,
      ...Object.fromEntries([...used].sort().map((name) => [name, BUILDER_RESPONSES[name]])),
    },
  };
  addComponentSchemas(document);
  shareRepeatedResponses(document);
  return document;
}
