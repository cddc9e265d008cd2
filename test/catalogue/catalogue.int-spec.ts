import type { KpiValuePayload } from '@sozialmonitor/contracts';
import { classOf, defaultCatalogueDocument, type IndexSpec } from '@sozialmonitor/indicators';
import { roundHalfAwayFromZero } from '@sozialmonitor/indicators/values/rounding';
import { computedRegions } from '@sozialmonitor/regions';
import { type KpiTestbed, startTestbed } from '../../apps/kpi-calculation/test/support';
import {
  baseEnv,
  cleanUp,
  get,
  INGEST_TOKEN,
  isolatedNames,
  type PublicationUnderTest,
  startPublication,
} from '../../apps/publication/test/harness';
import { STATUS_MUNICIPALITIES, statusWorld } from './status-world';

// Issue 13 over the real stack: kpi-calculation (admin API, recomputation, KPI topic) and publication
// (catalogue endpoints, values, asOf) on topics, databases and Redis keys of their own.

const ADMIN_TOKEN = 'admin-token-for-catalogue-tests-0123456789';
const API_TOKENS = JSON.stringify([
  { name: 'planning-office', token: ADMIN_TOKEN, roles: ['admin'] },
  { name: 'test-ingest', token: INGEST_TOKEN, roles: ['ingest'] },
]);
const REGION_COUNT = computedRegions().length; // 49 municipalities and the county
const PERIODS = 2; // 2023 and current (KPI_TODAY 2024-06-30)
const MUNICIPALITIES = new Set(computedRegions().filter((r) => r.level === 'municipality').map((r) => r.code));
const ELM = STATUS_MUNICIPALITIES[0];

type Doc = ReturnType<typeof defaultCatalogueDocument>;
type Entry = Doc['indicators'][number];
const v1 = defaultCatalogueDocument();
const entry = (id: string): Entry => v1.indicators.find((e) => e.id === id)!;
const withEntries = (indicators: Entry[]): Doc => ({ ...v1, indicators });

interface Answer {
  status: number;
  body: Record<string, unknown> & { errors?: Array<{ indicator: string; message: string }> };
}

describe('the indicator catalogue as managed data (issue 13)', () => {
  let bed: KpiTestbed | undefined;
  let publication: PublicationUnderTest | undefined;
  let publicationEnv: Record<string, string>;
  const names = isolatedNames('catalogue');
  /** Published values before any catalogue change, by key. */
  let initial: Map<string, KpiValuePayload>;
  let beforeActivation = '';
  let duringVersion2 = '';

  const admin = async (method: string, path: string, body?: unknown, token: string | null = ADMIN_TOKEN): Promise<Answer> => {
    const res = await fetch(`${bed!.service.url}/api/v1/admin/catalogue${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : {} };
  };

  const untilPublication = async (path: string, ok: (a: Awaited<ReturnType<typeof get>>) => boolean, what: string) => {
    const end = Date.now() + 30_000;
    for (;;) {
      const answer = await get(publication!.url, path);
      if (ok(answer)) return answer;
      if (Date.now() > end) throw new Error(`publication did not follow: ${what} (last ${answer.status} ${answer.text.slice(0, 200)})`);
      await new Promise((r) => setTimeout(r, 200));
    }
  };

  beforeAll(async () => {
    bed = await startTestbed({ FIRST_YEAR: '2023', KPI_TODAY: '2024-06-30', API_TOKENS }, statusWorld());
    const { tail, service } = bed;
    await tail.waitUntil(() => tail.latest().size === 45 * REGION_COUNT * PERIODS, 'the first publication');
    await service.scheduler.idle();
    initial = tail.latest();
    publicationEnv = baseEnv(names, {
      PUBLICATION_KPI_TOPIC: bed.env.KPI_VALUES_TOPIC,
      CATALOGUE_TOPIC: bed.env.CATALOGUE_TOPIC,
      KPI_CALCULATION_URL: service.url,
    });
    publication = await startPublication(publicationEnv);
  });

  afterAll(async () => {
    await publication?.close();
    await bed?.stop();
    if (publicationEnv) await cleanUp(publicationEnv, names.prefix);
  });

  it('refuses every catalogue call without the admin role: 401 without a token, 403 without the role', async () => {
    const calls: Array<[string, string, unknown?]> = [
      ['GET', ''],
      ['GET', '/versions'],
      ['GET', '/versions/1'],
      ['GET', '/audit'],
      ['POST', '/validate', { document: v1 }],
      ['POST', '/preview', { document: v1 }],
      ['POST', '/activate', { document: v1, reason: 'x' }],
      ['POST', '/indicators/births/retire', { reason: 'x' }],
      ['POST', '/rollback', { toVersion: 1, reason: 'x' }],
    ];
    for (const [method, path, body] of calls) {
      expect([method, path, (await admin(method, path, body, null)).status]).toEqual([method, path, 401]);
      expect([method, path, (await admin(method, path, body, INGEST_TOKEN)).status]).toEqual([method, path, 403]);
    }
    expect((await admin('GET', '/versions')).body).toMatchObject({ active: 1 });
  });

  it('starts with the shipped catalogue as version 1, which publication serves', async () => {
    const active = await admin('GET', '');
    expect(active.status).toBe(200);
    expect(active.body).toMatchObject({ catalogueVersion: 1, action: 'seed', createdBy: 'kpi-calculation', indicators: 45 });
    const list = await untilPublication('/api/v1/indicators', (a) => a.status === 200, 'the catalogue');
    expect(list.json<{ catalogueVersion: number; indicators: unknown[] }>()).toMatchObject({ catalogueVersion: 1 });
    expect(list.json<{ indicators: unknown[] }>().indicators).toHaveLength(45);
  });

  it('publishes the social status index for every municipality and period with classes; recomputed by hand for 2023', () => {
    const spec = entry('social_status_index').index as IndexSpec;
    for (const period of ['2023', 'current'])
      for (const code of MUNICIPALITIES) expect(initial.has(`social_status_index:${code}:${period}`)).toBe(true);
    // by hand, from the published input values of 2023: mean and standard deviation over the
    // municipalities that publish a number, z-scores negated (every input: high = low status), mean of four
    const inputs = spec.inputs.map((input) => {
      const xs = [...MUNICIPALITIES]
        .map((code) => initial.get(`${input.indicator}:${code}:2023`)!)
        .filter((p) => !p.suppressed && p.value !== null)
        .map((p) => p.value as number);
      const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
      const sd = Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length);
      return { id: input.indicator, mean, sd, n: xs.length };
    });
    expect(inputs.map((i) => i.n)).toEqual([5, 5, 5, 5]); // the status world's municipalities, nothing suppressed
    const classes = new Set<string>();
    for (const code of [...STATUS_MUNICIPALITIES, '01056']) {
      const z = inputs.map((i) => -((initial.get(`${i.id}:${code}:2023`)!.value as number) - i.mean) / i.sd);
      const expected = roundHalfAwayFromZero(z.reduce((s, x) => s + x, 0) / z.length, 2);
      const published = initial.get(`social_status_index:${code}:2023`)!;
      expect([code, published.value]).toEqual([code, expected]);
      expect(published).toMatchObject({ suppressed: false, unit: 'index', class: classOf(spec.classes, expected) });
      classes.add(published.class!);
    }
    expect(classes.size).toBeGreaterThan(1);
    // municipalities without inhabitants: no number, no class
    const empty = [...MUNICIPALITIES].find((c) => !STATUS_MUNICIPALITIES.includes(c))!;
    expect(initial.get(`social_status_index:${empty}:2023`)).toMatchObject({ value: null, reason: 'denominator_zero' });
    expect(initial.get(`social_status_index:${empty}:2023`)!.class).toBeUndefined();
  });

  it('refuses a draft with an unknown measure, a cycle, a unit mismatch or a duplicate id, precisely, and changes nothing', async () => {
    const events = bed!.tail.events.length;
    const index = entry('social_status_index');
    const drafts: Array<[string, Doc, string]> = [
      [
        'unknown measure',
        withEntries([...v1.indicators, { ...entry('births'), id: 'care_rate', formula: 'X(sex=f) / P() * 100', measures: ['X', 'P'], unit: '%', decimals: 2 }]),
        "catalogue: indicator 'care_rate': formula: unknown measure 'X' at position 1",
      ],
      [
        'cycle',
        withEntries([
          ...v1.indicators,
          { ...index, id: 'index_a', index: { ...index.index!, inputs: [{ indicator: 'index_b', weight: 1, direction: 'positive' }] } },
          { ...index, id: 'index_b', index: { ...index.index!, inputs: [{ indicator: 'index_a', weight: 1, direction: 'positive' }] } },
        ]),
        "catalogue: indicator 'index_a': its inputs form a cycle: index_a → index_b → index_a",
      ],
      [
        'unit mismatch',
        withEntries(v1.indicators.map((e) => (e.id === 'births_per_1000' ? { ...e, version: 2, unit: '%' } : e))),
        "catalogue: indicator 'births_per_1000': unit '%' does not match the formula, which gives a quotient × 1000 ('‰')",
      ],
      [
        'duplicate id',
        withEntries([...v1.indicators, entry('births')]),
        "catalogue: indicator 'births': version 1 appears twice (entries #3 and #46)",
      ],
      [
        'changed definition without a new version',
        withEntries(v1.indicators.map((e) => (e.id === 'births' ? { ...e, formula: 'B(sex=f)' } : e))),
        "catalogue: indicator 'births': version 1 is in use with another formula; a changed definition needs a new version",
      ],
    ];
    for (const [what, document, message] of drafts) {
      const validated = await admin('POST', '/validate', { document });
      expect([what, validated.status, validated.body.errors?.map((e) => e.message)]).toEqual([what, 422, [message]]);
      const activated = await admin('POST', '/activate', { document, reason: `try: ${what}` });
      expect([what, activated.status, activated.body.detail]).toEqual([what, 422, message]);
    }
    expect((await admin('POST', '/activate', { document: v1 })).body.detail).toBe(
      'a reason is required (why the catalogue changes)',
    );
    expect((await admin('GET', '/versions')).body).toMatchObject({ active: 1, versions: [{ catalogueVersion: 1 }] });
    expect(bed!.tail.events.length).toBe(events);
  });

  it('previews exactly the values the activation changes, and every service follows within seconds', async () => {
    const { tail, service } = bed!;
    const births = entry('births');
    const draft = withEntries([
      ...v1.indicators.map((e) => (e.id === 'mean_age' ? { ...e, status: 'retired' as const } : e)),
      {
        ...births,
        version: 2,
        formula: 'B(sex=f)',
        names: { de: 'Lebendgeborene Mädchen', en: 'Live births, girls' },
        breaks: [{ year: 2023, note: { de: '2023: nur Mädchen — nicht vergleichbar mit früheren Jahren', en: '2023: girls only — not comparable with earlier years' } }],
      },
      { ...entry('population'), id: 'female_population', formula: 'P(sex=f)', names: { de: 'Einwohnerinnen', en: 'Female inhabitants' } },
    ]);
    const preview = await admin('POST', '/preview', { document: draft });
    expect(preview.status).toBe(200);
    const p = preview.body as unknown as {
      changes: unknown;
      changedValues: number;
      newValues: number;
      values: Array<{ key: string; before: unknown; after: { value: number | null; suppressed: boolean; indicatorVersion: number } }>;
      largestChanges: Array<{ key: string; delta: number }>;
      retired: string[];
    };
    expect(p.changes).toEqual({ added: ['female_population'], changed: ['births'], retired: ['mean_age'] });
    expect(p.changedValues).toBe(2 * REGION_COUNT * PERIODS); // births (new version everywhere) and female_population
    expect(p.newValues).toBe(REGION_COUNT * PERIODS);
    expect(p.retired).toEqual(['mean_age']);
    // 7 births in 2023, 3 of them girls: in the first municipality and so in the county
    expect(p.largestChanges.slice(0, 2).map((c) => [c.key, c.delta]).sort()).toEqual([
      [`births:${ELM}:2023`, -4],
      ['births:01056:2023', -4],
    ]);

    beforeActivation = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 20)); // asOf compares times: the activation comes strictly later
    const before = tail.events.length;
    const activated = await admin('POST', '/activate', { document: draft, reason: 'births of girls; female population' });
    expect(activated.status).toBe(201);
    expect(activated.body).toMatchObject({ catalogueVersion: 2, action: 'activate', createdBy: 'planning-office', basedOn: 1 });
    await tail.waitUntil(() => tail.events.length - before >= p.changedValues, 'the values of version 2');
    await service.scheduler.idle();
    const published = new Map(tail.payloads().slice(before).map((v) => [`${v.indicatorId}:${v.region.code}:${v.period}`, v]));
    // one by one: the same keys, the same published form
    expect([...published.keys()].sort()).toEqual(p.values.map((v) => v.key).sort());
    for (const v of p.values)
      expect([v.key, published.get(v.key)]).toEqual([v.key, expect.objectContaining(v.after)]);
    expect(published.get(`births:${ELM}:2023`)).toMatchObject({ indicatorVersion: 2, value: 3 });
    expect(published.get(`female_population:${ELM}:current`)).toMatchObject({ indicatorVersion: 1, value: 13 });
    duringVersion2 = new Date().toISOString();

    // publication: catalogue, id validation, versions and breaks follow without a restart
    await untilPublication('/api/v1/indicators/female_population', (a) => a.status === 200, 'the new indicator');
    const values = await untilPublication(
      `/api/v1/indicators/female_population/values?region=${ELM}&from=2023&to=2023`,
      (a) => a.status === 200 && a.json<{ values: unknown[] }>().values.length === 1,
      'the new values',
    );
    expect(values.json<{ values: unknown[] }>().values[0]).toMatchObject({ value: 13, indicatorVersion: 1 });
    const birthsAnswer = await untilPublication(
      `/api/v1/indicators/births/values?region=${ELM}&from=2022&to=2023`,
      // publication learns the catalogue (catalogue topic) and the values (KPI topic) independently: wait
      // for both, not only the definition — an answer with version 2's definition and version 1's value is
      // a moment it may rightly pass through
      (a) => {
        const answer = a.json<{ indicator?: { version: number }; values?: Array<{ indicatorVersion?: number }> }>();
        return answer.indicator?.version === 2 && answer.values?.at(-1)?.indicatorVersion === 2;
      },
      'births version 2 with its values',
    );
    expect(birthsAnswer.json()).toMatchObject({
      indicator: { id: 'births', version: 2, breaks: [{ year: 2023 }] },
      values: [{ period: '2023', value: 3, indicatorVersion: 2, break: { de: '2023: nur Mädchen — nicht vergleichbar mit früheren Jahren' } }],
    });
    // the retired indicator keeps its last values and answers with asOf
    expect((await get(publication!.url, '/api/v1/indicators/mean_age')).json()).toMatchObject({ status: 'retired', version: 1 });
    const asOf = await get(publication!.url, `/api/v1/indicators/mean_age/values?region=${ELM}&from=2023&to=2023&asOf=${beforeActivation}`);
    expect(asOf.status).toBe(200);
    expect(asOf.json<{ values: unknown[] }>().values).toEqual([
      expect.objectContaining({ value: initial.get(`mean_age:${ELM}:2023`)!.value, indicatorVersion: 1 }),
    ]);
    // asOf before version 2: births with the catalogue of then
    const birthsThen = await get(publication!.url, `/api/v1/indicators/births/values?region=${ELM}&from=2023&to=2023&asOf=${beforeActivation}`);
    expect(birthsThen.json()).toMatchObject({ indicator: { version: 1, breaks: [] }, values: [{ value: 7, indicatorVersion: 1 }] });
  });

  it('retires an indicator: publication stops, its values stay queryable', async () => {
    const retired = await admin('POST', '/indicators/deaths_per_1000/retire', { reason: 'replaced by a regional mortality table' });
    expect(retired.status).toBe(201);
    expect(retired.body).toMatchObject({ catalogueVersion: 3, action: 'retire', changes: { retired: ['deaths_per_1000'] } });
    const answer = await untilPublication(
      '/api/v1/indicators/deaths_per_1000',
      (a) => a.json<{ status?: string }>().status === 'retired',
      'the retirement',
    );
    expect(answer.status).toBe(200);
    expect((await get(publication!.url, `/api/v1/indicators/deaths_per_1000/values?region=${ELM}&from=2023&to=2023`)).status).toBe(200);
    const refused = await admin('POST', '/indicators/sgb2_rate_pct/retire', { reason: 'x' });
    expect(refused.status).toBe(422);
    expect(refused.body.detail).toBe("indicator 'sgb2_rate_pct' is an input of 'social_status_index': retire or change those first");
  });

  it('rolls back to version 1 and restores the earlier values', async () => {
    const { tail, service } = bed!;
    const before = tail.events.length;
    const rolled = await admin('POST', '/rollback', { toVersion: 1, reason: 'the girls-only count confused readers' });
    expect(rolled.status).toBe(201);
    expect(rolled.body).toMatchObject({
      catalogueVersion: 4,
      action: 'rollback',
      restores: 1,
      changes: { added: ['deaths_per_1000', 'mean_age'], changed: ['births'], retired: ['female_population'] },
    });
    await tail.waitUntil(() => tail.latest().get(`births:${ELM}:current`)?.indicatorVersion === 1, 'births version 1 again');
    await service.scheduler.idle();
    await tail.waitUntil(() => tail.events.length - before >= REGION_COUNT * PERIODS, 'every births value');
    const latest = tail.latest();
    for (const period of ['2023', 'current'])
      for (const { code } of computedRegions()) {
        const key = `births:${code}:${period}`;
        const { computedAt: _a, ...now } = latest.get(key)!;
        const { computedAt: _b, ...then } = initial.get(key)!;
        expect([key, now]).toEqual([key, then]);
      }
    await untilPublication('/api/v1/indicators/female_population', (a) => a.status === 404, 'the rollback');
    const asOf = await get(publication!.url, `/api/v1/indicators/female_population/values?region=${ELM}&from=2023&to=2023&asOf=${duringVersion2}`);
    expect(asOf.status).toBe(200);
    expect(asOf.json<{ values: unknown[] }>().values).toEqual([expect.objectContaining({ value: 13 })]);
  });

  it('keeps an audit trail of every action: who, when, why, outcome', async () => {
    const audit = await admin('GET', '/audit');
    const entries = (audit.body as unknown as { entries: Array<{ action: string; outcome: string; by: string; reason?: string; catalogueVersion?: number }> }).entries;
    expect(entries.map((e) => `${e.action}:${e.outcome}`)).toEqual([
      'seed:ok',
      ...Array.from({ length: 5 }, () => ['validate:refused', 'activate:refused']).flat(),
      'activate:refused', // without a reason
      'preview:ok',
      'activate:ok',
      'retire:ok',
      'retire:refused',
      'rollback:ok',
    ]);
    expect(entries.find((e) => e.action === 'activate' && e.outcome === 'ok')).toMatchObject({
      by: 'planning-office',
      reason: 'births of girls; female population',
      catalogueVersion: 2,
    });
    const versions = await admin('GET', '/versions');
    expect((versions.body as unknown as { versions: Array<{ catalogueVersion: number; action: string }> }).versions.map((v) => `${v.catalogueVersion}:${v.action}`)).toEqual([
      '1:seed',
      '2:activate',
      '3:retire',
      '4:rollback',
    ]);
  });
});
