import type { OpenAPIObject } from '@nestjs/swagger';
import type { ReferenceObject, ResponseObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { STATUS_CODES } from 'node:http';

type Response = ResponseObject | ReferenceObject;

/** The `$ref` of the response `name` under `components/responses`. */
export const responseRef = (name: string): ReferenceObject => ({ $ref: `#/components/responses/${name}` });

/**
 * A response as an operation declares it: a `$ref` into `components/responses` resolved, else itself
 * (for readers of a document: tests, tools).
 */
export function resolveResponse<R extends object = ResponseObject>(
  document: { components?: { responses?: Record<string, unknown> } },
  response: R | ReferenceObject,
): R {
  if (!('$ref' in response)) return response;
  const target = document.components?.responses?.[response.$ref.replace('#/components/responses/', '')];
  if (!target || typeof target !== 'object' || '$ref' in target)
    throw new Error(`${response.$ref} is not a response of the document`);
  return target as R;
}

/** JSON with the keys of every object sorted: equal for responses that are the same but built in another order. */
const canonical = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );

const pascal = (words: string[]) => words.map((w) => w[0].toUpperCase() + w.slice(1).toLowerCase()).join('');

/**
 * The name of a shared response: its status's reason phrase and its description, e.g. 401 "Missing or
 * unknown bearer token" → `Unauthorized_MissingOrUnknownBearerToken` (letters, digits and `_`: what
 * a component name may hold).
 */
export function sharedResponseName(status: string, description: string): string {
  const reason = pascal((STATUS_CODES[status] ?? `Status ${status}`).match(/[A-Za-z0-9]+/g) ?? []);
  const words = description.match(/[A-Za-z0-9]+/g) ?? [];
  return words.length ? `${reason}_${pascal(words)}` : reason;
}

/**
 * One home per response: every response that two or more operations of the document declare alike
 * (description, headers and content; the status may differ) is declared once under
 * `components/responses`, and the operations refer to it with `$ref`. A client resolving the reference
 * reads exactly what stood inline; a response only one operation has stays inline. Names come from
 * the status and the description (sharedResponseName); should two different responses get one name,
 * the later in path order gets `_2`, `_3`, … Deterministic: the same document gives the same result.
 */
export function shareRepeatedResponses(document: OpenAPIObject): void {
  const operations = Object.values(document.paths).flatMap((path) =>
    Object.values(path).filter((op): op is { responses: Record<string, Response> } => Boolean(op?.responses)),
  );
  const uses = new Map<string, { status: string; response: ResponseObject; count: number }>();
  for (const { responses } of operations) {
    for (const [status, response] of Object.entries(responses)) {
      if ('$ref' in response) continue;
      const key = canonical(response);
      const use = uses.get(key) ?? { status, response, count: 0 };
      use.count += 1;
      uses.set(key, use);
    }
  }
  const shared = new Map<string, string>();
  const components = { ...document.components?.responses };
  for (const [key, { status, response, count }] of uses) {
    if (count < 2) continue;
    const base = sharedResponseName(status, response.description);
    let name = base;
    for (let n = 2; name in components; n += 1) name = `${base}_${n}`;
    components[name] = response;
    shared.set(key, name);
  }
  if (shared.size === 0) return;
  for (const { responses } of operations) {
    for (const [status, response] of Object.entries(responses)) {
      const name = '$ref' in response ? undefined : shared.get(canonical(response));
      if (name) responses[status] = responseRef(name);
    }
  }
  document.components = { ...document.components, responses: components };
}
