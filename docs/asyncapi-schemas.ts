import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';

/**
 * The schemas of docs/asyncapi.yaml compiled with Ajv (JSON Schema 2020-12), for tests that check
 * messages against the document: docs/asyncapi.spec.ts (messages encoded by the production code) and
 * test/end-to-end (messages the running services produced).
 */
export const asyncApiText = readFileSync(join(__dirname, 'asyncapi.yaml'), 'utf8');

export interface AsyncApiDocument {
  channels: Record<string, { address: string }>;
  components: {
    messages: Record<string, { bindings?: { kafka?: { key?: { pattern?: string } } } }>;
    schemas: Record<string, unknown>;
  };
}

export const asyncApi = parse(asyncApiText) as AsyncApiDocument;

const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema({ $id: 'asyncapi', components: asyncApi.components }, 'asyncapi');

/** What is wrong with `value` under a schema of the document (`messages/kpiValue/payload`, …); null when it conforms. */
export function asyncApiViolation(ref: string, value: unknown): string | null {
  const check = ajv.getSchema(`asyncapi#/components/${ref}`);
  if (!check) throw new Error(`docs/asyncapi.yaml has no schema at components/${ref}`);
  return check(value) ? null : `${ref}: ${ajv.errorsText(check.errors)}`;
}

/** Throws naming the schema and every rule `value` breaks. */
export function validateAgainstAsyncApi(ref: string, value: unknown): void {
  const violation = asyncApiViolation(ref, value);
  if (violation) throw new Error(violation);
}

/** The Kafka key pattern a message of the document declares (`bindings.kafka.key.pattern`). */
export function messageKeyPattern(message: string): RegExp {
  const pattern = asyncApi.components.messages[message]?.bindings?.kafka?.key?.pattern;
  if (!pattern) throw new Error(`docs/asyncapi.yaml declares no Kafka key pattern for message ${message}`);
  return new RegExp(pattern);
}
