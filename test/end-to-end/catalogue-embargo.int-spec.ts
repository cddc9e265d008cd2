import { EVENT_TYPES, type KpiValuePayload } from '@sozialmonitor/contracts';
import { defaultCatalogueDocument } from '@sozialmonitor/indicators';
import { COUNTY, ELMSHORN } from '@sozialmonitor/indicators/testing/lake-fixtures';
import { ANALYST_TOKEN, type KpiTestbed, type ValueTail } from '../../apps/kpi-calculation/test/support';
import { get, type PublicationUnderTest, waitUntil } from '../../apps/publication/test/harness';
import { SseClient } from '../../apps/publication/test/sse-client';
import { type ReleaseStack, startReleaseStack } from './release-stack';

/**
 * A catalogue version held until a release time (issue #17), through kpi-calculation and publication on
 * private topics. Version 2 adds an indicator (`male_population`) and changes one (`population` → only
 * women, version 2). Until the release the public sees version 1: its catalogue, the values published
 * under it (and the on-demand Stichtag computed as version 1 defined it) on every path — values, map,
 * CSV, profile, month-end Stichtag, change stream, KPI topic — while an analyst reads the held values.
 * At the release every held value goes out with `computedAt` = the release time (one asOf boundary),
 * publication describes version 2 from that instant, and one event announces it.
 */
const ADMIN_TOKEN = 'kpi-it-admin-token-for-catalogue-hold-0123';
const json = { 'content-type': 'application/json' };
const ADMIN = { authorization: `Bearer ${ADMIN_TOKEN}`, ...json };
const ANALYST = { authorization: `Bearer ${ANALYST_TOKEN}`, ...json };
const NEW = 'male_population';
const CHANGED = 'population';
const YEAR = '2022';
const REGIONS = 50;
const PERIODS = 3; // 2022, 2023 and current (KPI_TODAY 2024-06-30)

type Doc = ReturnType<typeof defaultCatalogueDocument>;
const v1 = defaultCatalogueDocument();
const population = v1.indicators.find((e) => e.id === CHANGED)!;
const version2: Doc = {
  ...v1,
  indicators: [
    ...v1.indicators.map((e) =>
      e.id === CHANGED ? { ...e, version: 2, formula: 'P(sex=f)', names: { de: 'Einwohnerinnen', en: 'Female inhabitants' } } : e,
    ),
    { ...population, id: NEW, formula: 'P(sex=m)', names: { de: 'Einwohner (männlich)', en: 'Male inhabitants' } },
  ],
};

describe('scheduled release of a catalogue version: held values leak nowhere, then appear everywhere at once', () => {
  let stack: ReleaseStack;
  let bed: KpiTestbed;
  let control: ValueTail;
  let publication: PublicationUnderTest;
  let stream: SseClient;
  const heldOnTopic = () =>
    bed.tail.payloads().filter((p) => p.indicatorId === NEW || (p.indicatorId === CHANGED && p.indicatorVersion === 2));
  const releases = () => control.events.filter((e) => e.type === EVENT_TYPES.valuesReleased);
  const onStream = (id: string, version?: number) =>
    stream.messages.filter((m) => {
      const indicator = m.data.indicator as { id: string; version: number } | undefined;
      return indicator?.id === id && (version === undefined || indicator.version === version);
    }).length;
  const kpi = (method: string, path: string, headers: Record<string, string>, body?: unknown) =>
    fetch(`${bed.service.url}/api/v1/admin${path}`, { method, headers, body: body ? JSON.stringify(body) : undefined });

  /** What the public paths answer: the version described, and of what version the values of `CHANGED` are. */
  async function publicView() {
    const catalogue = (await get(publication.url, '/api/v1/indicators')).json<{ catalogueVersion: number; indicators: { id: string }[] }>();
    const values = await get(publication.url, `/api/v1/indicators/${CHANGED}/values?from=${YEAR}&to=${YEAR}`);
    const csv = await get(publication.url, `/api/v1/indicators/${CHANGED}/values?from=${YEAR}&to=${YEAR}`, { accept: 'text/csv' });
    const map = await get(publication.url, `/api/v1/indicators/${CHANGED}/map?year=${YEAR}`);
    const profile = await get(publication.url, `/api/v1/regions/${ELMSHORN}/profile?year=${YEAR}`);
    const monthEnd = await get(publication.url, `/api/v1/indicators/${CHANGED}/values?date=2023-06-30`);
    const added = await get(publication.url, `/api/v1/indicators/${NEW}/values?from=${YEAR}&to=${YEAR}`);
    for (const a of [values, csv, map, profile, monthEnd]) expect(a.status).toBe(200);
    const versions = (vs: { indicatorVersion: number }[]) => [...new Set(vs.map((v) => v.indicatorVersion))];
    const county = values.json<{ values: { region: { code: string }; value: number | null }[] }>().values.find((v) => v.region.code === COUNTY);
    return {
      catalogueVersion: catalogue.catalogueVersion,
      listsNew: catalogue.indicators.some((i) => i.id === NEW),
      newValues: added.status === 200 ? added.json<{ values: unknown[] }>().values.length : added.status,
      changedVersions: versions(values.json<{ values: { indicatorVersion: number }[] }>().values),
      countyValue: county?.value,
      csvRows: csv.text.trim().split('\r\n').length - 1,
      map: map.json<{ features: { properties: { value: number | null } }[] }>().features.filter((f) => f.properties.value !== null).length,
      profileHasNew: profile.json<{ values: { indicator: { id: string } }[] }>().values.some((v) => v.indicator.id === NEW),
      monthEndVersions: versions(monthEnd.json<{ values: { indicatorVersion: number }[] }>().values),
      streamNew: onStream(NEW),
      streamChanged: onStream(CHANGED, 2),
      topic: heldOnTopic().length,
    };
  }

  beforeAll(async () => {
    stack = await startReleaseStack({ name: 'catalogue-hold', firstYear: YEAR, adminToken: ADMIN_TOKEN });
    ({ bed, control, publication } = stack);
    stream = await SseClient.open(`${publication.url}/api/v1/stream`);
  }, 240_000);

  afterAll(async () => {
    await stream?.close();
    await stack?.stop();
  });

  it('before the release: computed, shown to an analyst, the public keeps version 1 on every path', async () => {
    const activated = await kpi('POST', '/catalogue/activate', ADMIN, {
      document: version2,
      reason: 'Einwohner nach Geschlecht; Vorstellung im Sozialausschuss',
      releaseAt: new Date(Date.now() + 3_600_000).toISOString(),
    });
    expect(activated.status).toBe(201);
    expect(await activated.json()).toMatchObject({ catalogueVersion: 2, changes: { added: [NEW], changed: [CHANGED] } });
    await bed.service.scheduler.idle();

    // the held values are computed: an analyst reads them (every published period)
    const held = await kpi('GET', `/releases/catalogue-2/values?indicator=${NEW}`, ANALYST);
    expect(held.status).toBe(200);
    const heldValues = (await held.json()) as KpiValuePayload[];
    expect(heldValues).toHaveLength(REGIONS * PERIODS);
    expect(heldValues.filter((v) => v.value !== null).length).toBeGreaterThan(0);
    // a version waiting for its release blocks the next one (it would be public at once)
    expect((await kpi('POST', '/catalogue/activate', ADMIN, { document: v1, reason: 'zurück' })).status).toBe(409);

    expect(await publicView()).toEqual({
      catalogueVersion: 1,
      listsNew: false,
      newValues: 404,
      changedVersions: [1],
      countyValue: 12,
      csvRows: REGIONS,
      map: expect.any(Number),
      profileHasNew: false,
      monthEndVersions: [1],
      streamNew: 0,
      streamChanged: 0,
      topic: 0,
    });
    expect(releases()).toEqual([]);
  });

  it('at the release: version 2 on every path at once, one asOf boundary, one event', async () => {
    const moved = await kpi('POST', '/releases/catalogue-2/reschedule', ADMIN, {
      releaseAt: new Date(Date.now() + 1500).toISOString(),
      reason: 'Vorstellung vorgezogen',
    });
    expect(moved.status).toBe(200);
    const { releaseAt } = (await moved.json()) as { releaseAt: string };
    await control.waitUntil(() => releases().length > 0, 'the release event');
    expect(JSON.parse(releases()[0].value!.toString('utf8'))).toMatchObject({
      id: 'catalogue-2',
      catalogueVersion: 2,
      indicators: [NEW, CHANGED],
      releaseAt,
    });

    // every held value went out with computedAt = the release time
    await bed.tail.waitUntil(() => heldOnTopic().length >= 2 * REGIONS * PERIODS, 'the released values on the KPI topic');
    expect(heldOnTopic()).toHaveLength(2 * REGIONS * PERIODS);
    expect(new Set(heldOnTopic().map((p) => p.computedAt))).toEqual(new Set([releaseAt]));

    const after = await waitUntil(async () => {
      const view = await publicView();
      return view.newValues === REGIONS && view.changedVersions.join() === '2' && view.streamNew >= REGIONS ? view : undefined;
    }, 'version 2 on every public path');
    expect(after).toMatchObject({
      catalogueVersion: 2,
      listsNew: true,
      csvRows: REGIONS,
      profileHasNew: true,
      monthEndVersions: [2],
      topic: 2 * REGIONS * PERIODS,
    });
    expect(after.countyValue).not.toBe(12); // only the women now
    expect(after.streamChanged).toBeGreaterThanOrEqual(REGIONS);

    // one boundary: just before the release time version 1 and its values, at it version 2
    const at = async (id: string, t: string) =>
      get(publication.url, `/api/v1/indicators/${id}/values?from=${YEAR}&to=${YEAR}&asOf=${encodeURIComponent(t)}`);
    const before = new Date(new Date(releaseAt).getTime() - 1).toISOString();
    expect((await at(CHANGED, before)).json()).toMatchObject({ indicator: { version: 1 } });
    expect((await at(CHANGED, releaseAt)).json()).toMatchObject({ indicator: { version: 2 } });
    expect((await at(NEW, before)).json<{ values: unknown[] }>().values).toEqual([]);
    expect((await at(NEW, releaseAt)).json<{ values: unknown[] }>().values).toHaveLength(REGIONS);

    await bed.service.scheduler.idle();
    const list = (await (await kpi('GET', '/releases', ADMIN)).json()) as { releases: { id: string; state: string; published: number }[] };
    expect(list.releases).toEqual([expect.objectContaining({ id: 'catalogue-2', state: 'released', published: 2 * REGIONS * PERIODS })]);
    expect(releases()).toHaveLength(1);
  });
});
