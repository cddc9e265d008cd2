import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// api.md: a client over its request rate gets 429 with Retry-After. Every operation but the health
// checks is under the limit (libs/platform/src/http-limits.ts), so every one documents it (issue 11).
const SERVICES = ['ingestion', 'anonymization', 'kpi-calculation', 'publication'];
type Operation = { responses: Record<string, { headers?: Record<string, { schema?: { type?: string } }>; content?: object }> };

describe.each(SERVICES)('docs/openapi/%s.json', (service) => {
  const doc = JSON.parse(readFileSync(join(__dirname, 'openapi', `${service}.json`), 'utf8')) as {
    paths: Record<string, Record<string, Operation>>;
  };
  const operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => ({ name: `${method.toUpperCase()} ${path}`, path, op })),
  );

  it('documents 429 problem+json with an integer Retry-After on every rate-limited operation', () => {
    const limited = operations.filter((o) => !o.path.startsWith('/health/'));
    expect(limited.length).toBeGreaterThan(0);
    const missing = limited.filter(
      (o) =>
        !o.op.responses['429']?.content ||
        !('application/problem+json' in o.op.responses['429'].content) ||
        o.op.responses['429'].headers?.['Retry-After']?.schema?.type !== 'integer',
    );
    expect(missing.map((o) => o.name)).toEqual([]);
  });

  it('leaves the health checks out (they are exempt)', () => {
    for (const o of operations.filter((x) => x.path.startsWith('/health/'))) expect(o.op.responses['429']).toBeUndefined();
  });
});
