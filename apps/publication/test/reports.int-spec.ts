import { existsSync } from 'node:fs';
import {
  API_TOKENS,
  ANALYST_TOKEN,
  baseEnv,
  cleanUp,
  COUNTY,
  ELMSHORN,
  get,
  isolatedNames,
  KpiProducer,
  kpiValue,
  reportDraft,
  type PublicationUnderTest,
  startPublication,
  waitUntil,
  type ValuesAnswer,
} from './harness';

const ADMIN_TOKEN = 'admin-token-for-report-tests-012345';
const ADMIN = { authorization: `Bearer ${ADMIN_TOKEN}` };
const INDICATOR = 'births_per_1000';
const LAST_YEAR = String(new Date().getFullYear() - 1);
const EARLIER = String(new Date().getFullYear() - 2);

const REPORT = reportDraft('sozialbericht-test', 'Sozialbericht (Test)');

async function send(base: string, method: string, path: string, body?: unknown, headers: Record<string, string> = ADMIN) {
  const res = await fetch(base + path, {
    method,
    headers: { ...headers, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, json: () => JSON.parse(text) as Record<string, unknown> };
}

type FigureAnswer = {
  values: { region: { code: string }; period: string; value: number | null }[];
  comparison?: { region: { code: string }; period: string; pinned: number | null; current: number | null; changed: boolean }[];
};
const figureOf = (report: Record<string, unknown>) =>
  (report.sections as { figures: FigureAnswer[] }[])[0].figures[0];

describe('publication: reports bound to their figures (issue #17)', () => {
  const names = isolatedNames('reports');
  let service: PublicationUnderTest;
  let producer: KpiProducer;

  beforeAll(async () => {
    const tokens = [...JSON.parse(API_TOKENS), { name: 'test-admin', token: ADMIN_TOKEN, roles: ['admin'] }];
    service = await startPublication(baseEnv(names, { API_TOKENS: JSON.stringify(tokens) }));
    producer = new KpiProducer(service.topic);
    const before = new Date(Date.now() - 60_000).toISOString();
    await producer.publish(
      [EARLIER, LAST_YEAR].flatMap((period, i) => [
        kpiValue({ indicatorId: INDICATOR, regionCode: ELMSHORN, period, value: 8.4 + i, computedAt: before }),
        kpiValue({ indicatorId: INDICATOR, regionCode: COUNTY, period, value: 8.1 + i, computedAt: before }),
      ]),
    );
    await waitUntil(async () => {
      const a = await get(service.url, `/api/v1/indicators/${INDICATOR}/values?region=${ELMSHORN}&region=${COUNTY}`);
      return a.status === 200 && a.json<ValuesAnswer>().values.filter((v) => v.value !== null).length === 4;
    }, 'the values are published');
  }, 120_000);

  afterAll(async () => {
    await producer?.disconnect();
    await service?.close();
    await cleanUp(service.env, service.prefix);
  });

  it('keeps admin routes to the admin role and drafts from the public', async () => {
    expect((await send(service.url, 'GET', '/api/v1/admin/reports', undefined, {})).status).toBe(401);
    expect(
      (await send(service.url, 'POST', '/api/v1/admin/reports', REPORT, { authorization: `Bearer ${ANALYST_TOKEN}` })).status,
    ).toBe(403);
    const refused = await send(service.url, 'POST', '/api/v1/admin/reports', {
      ...REPORT,
      sections: [{ ...REPORT.sections[0], figures: [{ ...REPORT.sections[0].figures[0], indicator: 'nope' }] }],
    });
    expect(refused.status).toBe(422);
    expect(refused.json().errors).toEqual([{ field: 'sections[0].figures[0].indicator', message: "'nope' is not in the catalogue" }]);

    expect((await send(service.url, 'POST', '/api/v1/admin/reports', REPORT)).status).toBe(201);
    expect((await send(service.url, 'POST', '/api/v1/admin/reports', REPORT)).status).toBe(409);
    expect((await get(service.url, `/api/v1/reports/${REPORT.id}`)).status).toBe(404);
    expect((await get(service.url, '/api/v1/reports')).json<{ reports: unknown[] }>().reports).toEqual([]);
  });

  it('pins the figures at the release: a later correction changes today’s values, not the report; HTML shows both', async () => {
    const released = await send(service.url, 'POST', `/api/v1/admin/reports/${REPORT.id}/release`);
    expect(released.status).toBe(200);
    expect((await send(service.url, 'PUT', `/api/v1/admin/reports/${REPORT.id}`, REPORT)).status).toBe(409);
    const first = await get(service.url, `/api/v1/reports/${REPORT.id}`);
    expect(first.status).toBe(200);
    const pinned = figureOf(first.json()).values;
    expect(pinned.map((v) => [v.region.code, v.period, v.value])).toEqual([
      [ELMSHORN, EARLIER, 8.4],
      [COUNTY, EARLIER, 8.1],
      [ELMSHORN, LAST_YEAR, 9.4],
      [COUNTY, LAST_YEAR, 9.1],
    ]);

    // A correction arrives after the release.
    await producer.publish([kpiValue({ indicatorId: INDICATOR, regionCode: ELMSHORN, period: LAST_YEAR, value: 9.9 })]);
    await waitUntil(async () => {
      const a = await get(service.url, `/api/v1/indicators/${INDICATOR}/values?region=${ELMSHORN}&from=${LAST_YEAR}`);
      return a.json<ValuesAnswer>().values[0]?.value === 9.9;
    }, 'the correction is published');

    const again = await get(service.url, `/api/v1/reports/${REPORT.id}`);
    expect(figureOf(again.json()).values).toEqual(pinned);
    expect(again.text).toBe(first.text);

    const compared = figureOf((await get(service.url, `/api/v1/reports/${REPORT.id}?compare=current`)).json());
    expect(compared.values).toEqual(pinned);
    expect(compared.comparison!.filter((c) => c.changed)).toEqual([
      expect.objectContaining({ region: expect.objectContaining({ code: ELMSHORN }), period: LAST_YEAR, pinned: 9.4, current: 9.9 }),
    ]);

    const html = await get(service.url, `/api/v1/reports/${REPORT.id}/html`);
    expect(html.status).toBe(200);
    expect(html.headers.get('content-type')).toContain('text/html');
    expect(html.text).toContain('9,4');
    expect(html.text).not.toContain('9,9');
    const both = await get(service.url, `/api/v1/reports/${REPORT.id}/html?compare=current`);
    expect(both.text).toContain('9,4<br><small>heute: 9,9 (geändert)</small>');
    expect(both.text.match(/class="changed"/g)).toHaveLength(1);
    expect((await get(service.url, `/api/v1/reports/${REPORT.id}?compare=yes`)).status).toBe(400);
  });

  it('prints the report to PDF with Chromium', async () => {
    if (!existsSync(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'))
      throw new Error('Chromium not found: npm run bootstrap installs the Debian package chromium');
    const res = await fetch(`${service.url}/api/v1/reports/${REPORT.id}/pdf`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    expect(bytes.length).toBeGreaterThan(1000);
  }, 60_000);

  it('moves a recommendation on after the release and answers 410 once withdrawn', async () => {
    const moved = await send(service.url, 'PUT', `/api/v1/admin/reports/${REPORT.id}/recommendations/kita-ausbau`, {
      status: 'in_progress',
    });
    expect(moved.status).toBe(200);
    expect((await get(service.url, `/api/v1/reports/${REPORT.id}/html`)).text).toContain('[in Umsetzung]');
    expect((await get(service.url, '/api/v1/reports')).json<{ reports: { id: string }[] }>().reports.map((r) => r.id)).toEqual([
      REPORT.id,
    ]);
    expect((await send(service.url, 'POST', `/api/v1/admin/reports/${REPORT.id}/withdraw`, { reason: ' ' })).status).toBe(422);
    expect(
      (await send(service.url, 'POST', `/api/v1/admin/reports/${REPORT.id}/withdraw`, { reason: 'Zahlen fehlerhaft' })).status,
    ).toBe(200);
    const gone = await get(service.url, `/api/v1/reports/${REPORT.id}`);
    expect(gone.status).toBe(410);
    expect(gone.text).toContain('Zahlen fehlerhaft');
  });
});
