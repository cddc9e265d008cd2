import { getMetadataStorage } from 'class-validator';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AnonymizationEnvironment } from '../apps/anonymization/src/anonymization.environment';
import { IngestionEnvironment } from '../apps/ingestion/src/ingestion.environment';
import { KpiCalculationEnvironment } from '../apps/kpi-calculation/src/kpi-calculation.environment';
import { PublicationEnvironment } from '../apps/publication/src/publication.environment';

// operations.md: "A .env.example documents each" variable. A variable may stand there set
// (`NAME=value`) or as a commented example (`# NAME=…`, several on one line).
const example = readFileSync(join(__dirname, '../.env.example'), 'utf8');
const documented = new Set([...example.matchAll(/(?:^|\s|#)([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]));

/** Every variable a service validates (its class-validator rules, inherited ones included). */
const variablesOf = (schema: new () => object) =>
  [
    ...new Set(
      getMetadataStorage()
        .getTargetValidationMetadatas(schema, '', true, false)
        .map((m) => m.propertyName),
    ),
  ].sort();

describe('.env.example', () => {
  it.each([
    ['ingestion', IngestionEnvironment],
    ['anonymization', AnonymizationEnvironment],
    ['kpi-calculation', KpiCalculationEnvironment],
    ['publication', PublicationEnvironment],
  ] as const)('documents every variable %s reads', (_name, schema) => {
    const variables = variablesOf(schema);
    expect(variables.length).toBeGreaterThan(5);
    expect(variables.filter((v) => !documented.has(v))).toEqual([]);
  });
});
