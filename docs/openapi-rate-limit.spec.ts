import { resolveResponse } from '@sozialmonitor/platform/openapi';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// api.md: a client over its request rate gets 429 with Retry-After. Every operation but the health
// checks is under the limit (libs/platform/src/http-limits.ts), so every one documents it (issue 11).
const SERVICES = ['ingestion', 'anonymization', 'kpi-calculation', 'publication'];
type Answer = { headers?: Record<string, { schema?: { type?: string } }>; content?: object };

describe.each(SERVICES)('docs/openapi/%s.json', (service) => {
  const doc = JSON.parse(readFileSync(join(__dirname, 'openapi', `${service}.json`), 'utf8')) as {
    paths: Record<string, Record<string, { responses: Record<string, Answer | { $ref: string }> }>>;
    components?: { responses?: Record<string, Answer> };
  };
  // a response several operations share stands once under components/responses: read it from there
  const operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => ({
      name: `${method.toUpperCase()} ${path}`,
      path,
      op: {
        responses: Object.fromEntries(Object.entries(op.responses).map(([status, r]) => [status, resolveResponse(doc, r)])),
      },
    })),
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
