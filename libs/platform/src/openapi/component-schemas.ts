import type { OpenAPIObject } from '@nestjs/swagger';
import type { ReferenceObject, SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';

const SCHEMA_REF_PREFIX = '#/components/schemas/';
const registered = new Map<string, SchemaObject>();

/**
 * A schema several operations (or several schemas) use, given one home: declared once under
 * `components/schemas` as `name` by buildOpenApiDocument, wherever it is used a `$ref` to it.
 *
 *   export const SUBSCRIPTION_SCHEMA = componentSchema('Subscription', { type: 'object', … });
 *   @ApiOkResponse({ schema: SUBSCRIPTION_SCHEMA })
 *
 * A name is one schema in the whole code base: a second, different schema under it is refused.
 */
export function componentSchema(name: string, schema: SchemaObject): ReferenceObject {
  const known = registered.get(name);
  if (known && JSON.stringify(known) !== JSON.stringify(schema))
    throw new Error(`two different OpenAPI component schemas are named ${name}`);
  registered.set(name, schema);
  return { $ref: `${SCHEMA_REF_PREFIX}${name}` };
}

/** The names of the component schemas `value` refers to (anywhere within it). */
function referencedSchemas(value: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const item of value) referencedSchemas(item, into);
  else if (value && typeof value === 'object')
    for (const [key, v] of Object.entries(value)) {
      if (key === '$ref' && typeof v === 'string' && v.startsWith(SCHEMA_REF_PREFIX))
        into.add(v.slice(SCHEMA_REF_PREFIX.length));
      else referencedSchemas(v, into);
    }
  return into;
}

/**
 * Adds under `components/schemas` (sorted by name) every schema of componentSchema the document refers
 * to, also from within another such schema; a document lists only the ones it uses. A reference to a
 * schema neither there nor named by componentSchema is an error (it would dangle).
 */
export function addComponentSchemas(document: OpenAPIObject): void {
  const schemas = { ...document.components?.schemas };
  const added = new Map<string, SchemaObject>();
  let wanted = [...referencedSchemas(document.paths)];
  while (wanted.length) {
    const next: string[] = [];
    for (const name of wanted) {
      const schema = registered.get(name);
      if (name in schemas || added.has(name)) continue;
      if (!schema) throw new Error(`the document refers to ${SCHEMA_REF_PREFIX}${name}, which no schema is named`);
      added.set(name, schema);
      next.push(...referencedSchemas(schema));
    }
    wanted = next;
  }
  for (const name of [...added.keys()].sort()) schemas[name] = added.get(name)!;
  document.components = { ...document.components, schemas };
}
