import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import {
  API_TOKENS,
  baseEnv,
  cleanUp,
  COUNTY,
  ELMSHORN,
  get,
  isolatedNames,
  kpiValue,
  KpiProducer,
  MUNICIPALITY_CODES,
  reportDraft,
  type PublicationUnderTest,
  FakeKpiCalculation,
  startPublication,
  type ValuesAnswer,
  waitUntil,
} from './harness';

/**
 * The dashboard at / end to end: publication started by the test (private topic, database, Redis
 * prefix), KPI values fed to its topic, the page driven in Debian's Chromium through playwright-core
 * (never a downloaded browser: `npm run bootstrap` installs the apt package). Also the map endpoint over
 * HTTP (ETag/304, CSV, 400s). Screenshots go to artifacts/screenshots (git-ignored).
 */
const ROOT = resolve(__dirname, '../../..');
const SCREENSHOTS = join(ROOT, 'artifacts/screenshots');
const INDICATOR = 'births_per_1000';
const HELGOLAND = '01056025';
const GROSS_NORDENDE = '01056016';
const YEARS = Array.from({ length: 11 }, (_, i) => 2015 + i);
const LAST_YEAR = String(new Date().getFullYear() - 1);
const EARLIER = String(new Date().getFullYear() - 2);
const ADMIN_TOKEN = 'admin-token-for-dashboard-tests-0123';
const REPORT = reportDraft('sozialbericht-dashboard', 'Sozialbericht (Dashboard-Test)', 'decided');

function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean);
  const found = candidates.find((p) => existsSync(p!));
  if (!found)
    throw new Error(
      'Chromium not found: npm run bootstrap installs the Debian package chromium (or set CHROMIUM_PATH)',
    );
  return found!;
}

/** A plausible birth rate per municipality and year; Helgoland primary-, Groß Nordende secondary-suppressed. */
function values(computedAt: string) {
  return YEARS.flatMap((year) =>
    [...MUNICIPALITY_CODES, COUNTY].map((code, i) => {
      const suppressed = code === HELGOLAND || code === GROSS_NORDENDE;
      return kpiValue({
        indicatorId: INDICATOR,
        regionCode: code,
        period: String(year),
        value: suppressed ? null : Math.round((6 + ((i * 7 + year) % 40) / 8) * 100) / 100,
        suppressed,
        ...(suppressed ? { reason: code === HELGOLAND ? 'primary' : 'secondary' } : {}),
        comparison:
          code === COUNTY
            ? { state: 7 + (year - 2015) / 20, germany: 8 + (year - 2015) / 25 }
            : { county: 8.12, state: 7 + (year - 2015) / 20, germany: 8 + (year - 2015) / 25 },
        computedAt,
      });
    }),
  );
}

describe('dashboard (Chromium) and map endpoint', () => {
  const names = isolatedNames('dashboard');
  let web: string;
  let service: PublicationUnderTest;
  const kpiCalculation = new FakeKpiCalculation();
  let producer: KpiProducer;
  let browser: Browser;
  let page: Page;
  const otherHosts: string[] = [];

  beforeAll(async () => {
    const executablePath = chromiumPath();
    web = mkdtempSync(join(tmpdir(), 'sozialmonitor-web-'));
    execFileSync(
      process.execPath,
      [
        join(ROOT, 'node_modules/vite/bin/vite.js'),
        'build',
        '--config',
        'apps/publication/web/vite.config.ts',
        '--outDir',
        web,
      ],
      { cwd: ROOT, stdio: 'pipe' },
    );
    await kpiCalculation.start();
    service = await startPublication(
      baseEnv(names, {
        PUBLICATION_WEB_DIR: web,
        KPI_CALCULATION_URL: kpiCalculation.url,
        API_TOKENS: JSON.stringify([...JSON.parse(API_TOKENS), { name: 'test-admin', token: ADMIN_TOKEN, roles: ['admin'] }]),
      }),
    );
    producer = new KpiProducer(service.topic);
    await producer.publish(values(new Date(Date.now() - 60_000).toISOString()));
    await waitUntil(async () => {
      const a = await get(service.url, `/api/v1/indicators/${INDICATOR}/values?region=${COUNTY}`);
      return a.status === 200 && a.json<ValuesAnswer>().values.filter((v) => v.value !== null).length === YEARS.length;
    }, 'the fed values are published');
    browser = await chromium.launch({
      executablePath,
      headless: true,
      args: ['--no-sandbox', '--disable-dev-shm-usage'],
    });
    // The page's CSP allows scripts from the service only; axe-core is injected by the test itself.
    const context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      bypassCSP: true,
      acceptDownloads: true,
    });
    page = await context.newPage();
    page.on('request', (r) => {
      const url = new URL(r.url());
      if (!['data:', 'blob:'].includes(url.protocol) && url.origin !== service.url) otherHosts.push(r.url());
    });
    mkdirSync(SCREENSHOTS, { recursive: true });
    // The set-up builds the page (Vite) and starts the service and a browser: more than a test's 120 s
    // default allows on a busy two-core machine (~80 s of a 119 s run at load average ~21).
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await producer?.disconnect();
    await service?.close();
    await kpiCalculation.stop();
    await cleanUp(service.env, service.prefix);
    if (web) rmSync(web, { recursive: true, force: true });
  });

  it('answers the map as GeoJSON with classes, comparison and attribution; ETag/304; CSV; 400 naming the parameter', async () => {
    const answer = await get(service.url, `/api/v1/indicators/${INDICATOR}/map?year=${LAST_YEAR}&classes=jenks&k=4`);
    expect(answer.status).toBe(200);
    const map = answer.json<{
      type: string;
      features: { properties: { code: string; value: number | null; suppressed: boolean; class: number | null } }[];
      classification: { method: string; breaks: number[] };
      comparison: Record<string, number | null>;
      attribution: string;
    }>();
    expect(map.type).toBe('FeatureCollection');
    expect(map.features).toHaveLength(49);
    expect(map.classification.method).toBe('jenks');
    expect(map.classification.breaks.length).toBeLessThanOrEqual(5);
    expect(map.attribution).toContain('GeoBasis-DE / BKG');
    const helgoland = map.features.find((f) => f.properties.code === HELGOLAND)!.properties;
    expect(helgoland).toMatchObject({ value: null, suppressed: true, class: null });
    const values = (
      await get(service.url, `/api/v1/indicators/${INDICATOR}/values?from=${LAST_YEAR}&to=${LAST_YEAR}`)
    ).json<ValuesAnswer>();
    const county = values.values.find((v) => v.region.code === COUNTY)!;
    expect(map.comparison).toEqual({
      county: county.value,
      state: county.comparison.state,
      germany: county.comparison.germany,
    });
    const elmshorn = values.values.find((v) => v.region.code === ELMSHORN)!;
    expect(map.features.find((f) => f.properties.code === ELMSHORN)!.properties.value).toBe(elmshorn.value);

    const etag = answer.headers.get('etag')!;
    expect(answer.headers.get('cache-control')).toBe('public, no-cache');
    const again = await get(service.url, `/api/v1/indicators/${INDICATOR}/map?year=${LAST_YEAR}&classes=jenks&k=4`, {
      'If-None-Match': etag,
    });
    expect(again.status).toBe(304);
    const csv = await get(service.url, `/api/v1/indicators/${INDICATOR}/map?year=${LAST_YEAR}`, { Accept: 'text/csv' });
    expect(csv.text.split('\r\n')[0]).toBe(
      'indicator,unit,region_code,region_name,region_level,period,value,suppressed,reason,county,state,germany,revised',
    );
    const bad = await get(service.url, `/api/v1/indicators/${INDICATOR}/map?classes=pretty&k=12`);
    expect(bad.status).toBe(400);
    expect(
      bad
        .json<{ errors: { parameter: string }[] }>()
        .errors.map((e) => e.parameter)
        .sort(),
    ).toEqual(['classes', 'k']);
    expect((await get(service.url, `/api/v1/indicators/unknown/map`)).status).toBe(404);

    const doc = SwaggerModule.createDocument(service.app, new DocumentBuilder().build());
    const mapDoc = doc.paths['/api/v1/indicators/{id}/map'].get!;
    expect(mapDoc.parameters!.map((p) => ('name' in p ? p.name : '')).sort()).toEqual(
      ['asOf', 'classes', 'date', 'id', 'If-None-Match', 'k', 'year'].sort(),
    );
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/', '/api/v1/downloads/sozialmonitor.zip']));
  });

  it('serves a bulk ZIP with a CSV per indicator and metadata.json', async () => {
    const res = await fetch(`${service.url}/api/v1/downloads/sozialmonitor.zip`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/zip');
    const { unzipSync, strFromU8 } = await import('fflate');
    const files = unzipSync(new Uint8Array(await res.arrayBuffer()));
    expect(Object.keys(files)).toEqual(expect.arrayContaining(['metadata.json', `values/${INDICATOR}.csv`]));
    const csv = strFromU8(files[`values/${INDICATOR}.csv`]);
    const api = await get(service.url, `/api/v1/indicators/${INDICATOR}/values`, { Accept: 'text/csv' });
    expect(csv).toBe(api.text);
    expect(JSON.parse(strFromU8(files['metadata.json'])).indicators.length).toBeGreaterThan(40);
  });

  it('shows the map, the trend of Elmshorn, the hatched suppressed municipalities, a CSV equal to the API, live changes and the "Stand"', async () => {
    await page.goto(`${service.url}/`);
    await page.waitForSelector(`body[data-map-ready^="${INDICATOR}:${LAST_YEAR}"]`);
    // Evaluated in the page (strings: this project's TypeScript has no DOM types).
    const firstView = await page.evaluate<number>('window.firstView');
    const domContentLoaded = await page.evaluate<number>(
      "performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd",
    );
    console.log(
      `dashboard first view (map drawn) ${Math.round(firstView)} ms after navigation start ` +
        `(DOMContentLoaded ${Math.round(domContentLoaded)} ms)`,
    );

    // 49 municipalities, Helgoland among them (in its inset).
    expect(await page.locator('svg.choropleth path.muni').count()).toBe(49);
    expect(await page.locator(`.inset ~ g path[data-ags="${HELGOLAND}"]`).count()).toBe(1);

    // Suppressed: hatched, and the legend says why.
    for (const code of [HELGOLAND, GROSS_NORDENDE]) {
      const path = page.locator(`path[data-ags="${code}"]`);
      expect(await path.getAttribute('fill')).toBe('url(#schraffur)');
      expect(await path.getAttribute('data-value')).toBe('');
    }
    expect(await page.locator('.legend-suppressed').innerText()).toContain('weniger als 3 Fälle — geschützt');

    // Keyboard: Tab to a municipality of the map, Enter selects it (and the list follows).
    const PINNEBERG = '01056039';
    await page.focus(`path[data-ags="${PINNEBERG}"]`);
    await page.keyboard.press('Enter');
    await page.waitForSelector(`#gemeinde[data-ready^="${PINNEBERG}:${INDICATOR}:"]`);
    expect(await page.inputValue('#gemeinde-liste')).toBe(PINNEBERG);

    // Elmshorn selected from the list: its trend equals the API's values.
    await page.selectOption('#gemeinde-liste', ELMSHORN);
    await page.waitForSelector(`#gemeinde[data-ready^="${ELMSHORN}:${INDICATOR}:"]`);
    const api = (
      await get(service.url, `/api/v1/indicators/${INDICATOR}/values?region=${ELMSHORN}`)
    ).json<ValuesAnswer>();
    const shown = [];
    for (const row of await page.locator('#trend-tabelle tbody tr').all()) {
      shown.push({
        period: await row.getAttribute('data-period'),
        value: await row.locator('td[data-kind="value"]').getAttribute('data-value'),
        state: await row.locator('td[data-kind="state"]').getAttribute('data-value'),
      });
    }
    expect(shown).toEqual(
      api.values.map((v) => ({ period: v.period, value: String(v.value), state: String(v.comparison.state) })),
    );
    expect(await page.locator('#trend svg path').count()).toBeGreaterThan(3);
    expect(await page.locator('#profil tbody tr').count()).toBeGreaterThan(0);
    await page.screenshot({ path: join(SCREENSHOTS, 'dashboard-elmshorn.png'), fullPage: true });

    // The CSV download is the API's CSV behind a header block (units, sources).
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#csv')]);
    const file = readFileSync((await download.path())!, 'utf8');
    const header = file.split('\r\n').filter((l) => l.startsWith('#'));
    expect(header.join('\n')).toMatch(/Einheit: .*‰/);
    expect(header.join('\n')).toContain('Quellen:');
    const body = file
      .split('\r\n')
      .filter((l) => !l.startsWith('#'))
      .join('\r\n');
    const apiCsv = await get(service.url, `/api/v1/indicators/${INDICATOR}/values?from=${LAST_YEAR}&to=${LAST_YEAR}`, {
      Accept: 'text/csv',
    });
    expect(body).toBe(apiCsv.text);

    // axe-core: no serious or critical violation.
    await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
    const violations = await page.evaluate<{ id: string; impact: string; nodes: number }[]>(
      'axe.run().then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length })))',
    );
    if (violations.length) console.log('axe-core (minor/moderate only are allowed):', JSON.stringify(violations));
    expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);

    // A month end (computed on request by kpi-calculation, here its fake) instead of the year, and back.
    await page.fill('#monat', '2024-06');
    await page.dispatchEvent('#monat', 'change');
    await page.waitForSelector(`body[data-map-ready="${INDICATOR}:2024-06-30:"]`);
    expect(await page.locator('svg.choropleth path.muni').count()).toBe(49);
    await page.fill('#monat', '');
    await page.dispatchEvent('#monat', 'change');
    await page.waitForSelector(`body[data-map-ready="${INDICATOR}:${LAST_YEAR}:"]`);

    // A correction arrives: the live page changes without a reload; the "Stand" before it still shows the old value.
    const before = await page.locator(`path[data-ags="${ELMSHORN}"]`).getAttribute('data-value');
    await new Promise((r) => setTimeout(r, 1100));
    const standBefore = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 1100));
    const corrected = Math.round((Number(before) + 3.33) * 100) / 100;
    await producer.publish([
      kpiValue({
        indicatorId: INDICATOR,
        regionCode: ELMSHORN,
        period: LAST_YEAR,
        value: corrected,
        comparison: { county: 8.12, state: 7.5, germany: 8.4 },
        computedAt: new Date().toISOString(),
      }),
    ]);
    await page.waitForSelector(`path[data-ags="${ELMSHORN}"][data-value="${corrected}"]`, { timeout: 30_000 });
    expect(await page.locator(`path[data-ags="${ELMSHORN}"]`).getAttribute('class')).toContain('revised');
    await page.waitForSelector(
      `#trend-tabelle tr[data-period="${LAST_YEAR}"] td[data-kind="value"][data-value="${corrected}"]`,
    );

    await page.goto(
      `${service.url}/#i=${INDICATOR}&j=${LAST_YEAR}&g=${ELMSHORN}&stand=${encodeURIComponent(standBefore)}`,
    );
    await page.reload();
    await page.waitForSelector(`body[data-map-ready="${INDICATOR}:${LAST_YEAR}:${standBefore}"]`);
    expect(await page.locator(`path[data-ags="${ELMSHORN}"]`).getAttribute('data-value')).toBe(before);
    expect(await page.locator('#stand-hinweis').isVisible()).toBe(true);
    await page.waitForSelector(`#gemeinde[data-ready="${ELMSHORN}:${INDICATOR}:${standBefore}"]`);
    await page.screenshot({ path: join(SCREENSHOTS, 'dashboard-stand.png'), fullPage: true });

    // Tablet width: nothing wider than the screen, the map still drawn.
    await page.setViewportSize({ width: 820, height: 1180 });
    expect(await page.evaluate<boolean>('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
    expect(await page.locator('svg.choropleth path.muni').count()).toBe(49);
    await page.screenshot({ path: join(SCREENSHOTS, 'dashboard-tablet.png') });

    // Every request of the page went to the service itself.
    expect(otherHosts).toEqual([]);
  });

  it('lists a released report in the reports section and renders its figures with German labels', async () => {
    const admin = (path: string, body?: unknown) =>
      fetch(`${service.url}/api/v1/admin/reports${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
    expect((await admin('', REPORT)).status).toBe(201);
    expect((await admin(`/${REPORT.id}/release`)).status).toBe(200);
    // what the figure pins: today's values of Elmshorn and the county (no change comes after the release)
    const api = (
      await get(service.url, `/api/v1/indicators/${INDICATOR}/values?region=${ELMSHORN},${COUNTY}&from=${EARLIER}&to=${LAST_YEAR}`)
    ).json<ValuesAnswer>().values;
    const german = (code: string, period: string) => String(api.find((v) => v.region.code === code && v.period === period)!.value).replace('.', ',');

    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${service.url}/`);
    const item = page.locator(`#berichte-liste li[data-report="${REPORT.id}"]`);
    await item.waitFor();
    const listed = await item.innerText();
    expect(listed).toContain(REPORT.title);
    expect(listed).toContain('1 Abbildungen, 1 Handlungsempfehlungen');
    expect(await item.locator('a', { hasText: 'PDF' }).getAttribute('href')).toBe(`/api/v1/reports/${REPORT.id}/pdf`);

    // "Lesen": the service's page in the frame — the figure's table and bar chart, German labels and numbers
    await item.getByRole('button', { name: 'Lesen' }).click();
    const report = page.frameLocator('#bericht');
    const figure = report.locator('figure[data-figure="geburten"]');
    await figure.waitFor();
    expect(await figure.locator('figcaption').innerText()).toContain('Geburtenrate');
    expect(await figure.locator('thead th').allInnerTexts()).toEqual(['Gebiet', EARLIER, LAST_YEAR]);
    const rows = [];
    for (const row of await figure.locator('tbody tr').all()) rows.push([await row.locator('th').innerText(), ...(await row.locator('td').allInnerTexts())]);
    expect(rows).toEqual([
      ['Elmshorn, Stadt', german(ELMSHORN, EARLIER), german(ELMSHORN, LAST_YEAR)],
      ['Kreis Pinneberg', german(COUNTY, EARLIER), german(COUNTY, LAST_YEAR)],
    ]);
    expect(await figure.locator(`svg.chart[aria-label="Balkendiagramm Geburtenrate ${LAST_YEAR}"]`).count()).toBe(1);
    expect(await report.locator('li[data-recommendation="kita-ausbau"]').innerText()).toBe('Kita-Plätze in Elmshorn ausbauen [beschlossen]');

    // "Mit heutigen Werten": the same figure beside today's values, nothing changed since the release
    await item.getByRole('button', { name: 'Mit heutigen Werten' }).click();
    await report.locator('figure[data-figure="geburten"] p.note').waitFor();
    expect(await report.locator('figure[data-figure="geburten"] p.note').innerText()).toBe('Alle Werte unverändert gegenüber heute.');
    await page.screenshot({ path: join(SCREENSHOTS, 'dashboard-bericht.png'), fullPage: true });
  });
});
