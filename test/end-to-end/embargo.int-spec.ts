import { EVENT_TYPES, type KpiValuePayload } from '@sozialmonitor/contracts';
import { handComputedWorld } from '@sozialmonitor/indicators/testing/hand-computed-world';
import { COUNTY, ELMSHORN } from '@sozialmonitor/indicators/testing/lake-fixtures';
import {
  ANALYST_TOKEN,
  INTERNAL_TOKEN,
  type KpiTestbed,
  publishLake,
  startTestbed,
  ValueTail,
} from '../../apps/kpi-calculation/test/support';
import {
  baseEnv,
  cleanUp,
  get,
  isolatedNames,
  type PublicationUnderTest,
  startPublication,
  waitUntil,
} from '../../apps/publication/test/harness';
import { SseClient } from '../../apps/publication/test/sse-client';

/**
 * Scheduled release (issue #17) through kpi-calculation and publication on private topics: a year held
 * until a release time is computed (an admin sees it) but reaches no public path — values, map, CSV,
 * profile, month-end Stichtag, change stream, KPI topic — and right after the release it is on all of
 * them, every value with `computedAt` = the release time (one asOf boundary), announced by one event.
 */
const ADMIN_TOKEN = 'kpi-it-admin-token-for-embargo-0123';
const ADMIN = { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' };
const HELD = '2023';
const OPEN = '2022';
const INDICATOR = 'population';
const REGIONS = 50;

describe('scheduled release: a held year leaks nowhere, then appears everywhere at once', () => {
  let bed: KpiTestbed;
  let control: ValueTail;
  let publication: PublicationUnderTest;
  let stream: SseClient;
  const names = isolatedNames('embargo');
  const heldOnTopic = () => bed.tail.payloads().filter((p) => p.period === HELD);
  const releases = () => control.events.filter((e) => e.type === EVENT_TYPES.valuesReleased);
  const heldOnStream = () => stream.messages.filter((m) => m.data.period === HELD);
  const admin = (method: string, path: string, body?: unknown) =>
    fetch(`${bed.service.url}/api/v1/admin/releases${path}`, {
      method,
      headers: ADMIN,
      body: body ? JSON.stringify(body) : undefined,
    });

  /** What every public path answers for the held year (counts of values with a number). */
  async function publicView() {
    const values = await get(publication.url, `/api/v1/indicators/${INDICATOR}/values?from=${HELD}&to=${HELD}`);
    const csv = await get(publication.url, `/api/v1/indicators/${INDICATOR}/values?from=${HELD}&to=${HELD}`, {
      accept: 'text/csv',
    });
    const map = await get(publication.url, `/api/v1/indicators/${INDICATOR}/map?year=${HELD}`);
    const profile = await get(publication.url, `/api/v1/regions/${ELMSHORN}/profile?year=${HELD}`);
    const monthEnd = await get(publication.url, `/api/v1/indicators/${INDICATOR}/values?date=${HELD}-06-30`);
    for (const a of [values, csv, map, profile, monthEnd]) expect(a.status).toBe(200);
    const numbers = (vs: { value: number | null }[]) => vs.filter((v) => v.value !== null).length;
    return {
      values: values.json<{ values: unknown[] }>().values.length,
      csvRows: csv.text.trim().split('\r\n').length - 1,
      map: numbers(map.json<{ features: { properties: { value: number | null } }[] }>().features.map((f) => f.properties)),
      profile: numbers(profile.json<{ values: { value: number | null }[] }>().values),
      monthEnd: monthEnd.json<{ values: unknown[] }>().values.length,
      stream: heldOnStream().length,
      topic: heldOnTopic().length,
    };
  }

  beforeAll(async () => {
    bed = await startTestbed(
      {
        FIRST_YEAR: OPEN,
        KPI_TODAY: '2024-06-30',
        API_TOKENS: JSON.stringify([
          { name: 'publication', token: INTERNAL_TOKEN, roles: ['internal'] },
          { name: 'analyst', token: ANALYST_TOKEN, roles: ['analyst'] },
          { name: 'planning-office', token: ADMIN_TOKEN, roles: ['admin'] },
        ]),
      },
      [],
    );
    // The hold is placed before the year's records arrive: far in the future, moved forward below.
    const hold = await admin('POST', '', {
      year: HELD,
      releaseAt: new Date(Date.now() + 3_600_000).toISOString(),
      reason: 'Sozialbericht wird am Erscheinungstag vorgestellt',
    });
    expect(hold.status).toBe(201);
    control = await ValueTail.start(bed.kafka, bed.env.CONTROL_TOPIC);
    publication = await startPublication(
      baseEnv(names, {
        PUBLICATION_KPI_TOPIC: bed.env.KPI_VALUES_TOPIC,
        CATALOGUE_TOPIC: bed.env.CATALOGUE_TOPIC,
        KPI_CALCULATION_URL: bed.service.url,
        KPI_CALCULATION_TOKEN: INTERNAL_TOKEN,
        FIRST_YEAR: OPEN,
        KPI_TODAY: '2024-06-30',
      }),
    );
    stream = await SseClient.open(`${publication.url}/api/v1/stream?indicator=${INDICATOR}`);
    await publishLake(bed.publisher, bed.env.LAKE_TOPIC, handComputedWorld());
    // The open year is published (and reaches publication): the checks below are not vacuous.
    let last = '';
    await waitUntil(async () => {
      const a = await get(publication.url, `/api/v1/indicators/${INDICATOR}/values?from=${OPEN}&to=${OPEN}&region=${COUNTY}`);
      last = `${a.status} ${a.text.slice(0, 300)}`;
      return a.status === 200 && a.json<{ values: { value: number | null }[] }>().values[0]?.value === 12;
    }, 'the open year is published', 120_000).catch((e: Error) => {
      throw new Error(`${e.message}; publication answered ${last}`);
    });
    await bed.service.scheduler.idle();
  }, 240_000);

  afterAll(async () => {
    await stream?.close();
    await control?.stop();
    await publication?.close();
    if (publication) await cleanUp(publication.env, publication.prefix);
    await bed?.stop();
  });

  it('before the release: computed and shown to the admin, on no public path', async () => {
    const held = await admin('GET', `/year-${HELD}/values?indicator=${INDICATOR}`);
    expect(held.status).toBe(200);
    const heldValues = (await held.json()) as KpiValuePayload[];
    expect(heldValues.filter((v) => v.period === HELD && v.value !== null).length).toBeGreaterThan(0);
    expect(await publicView()).toEqual({ values: 0, csvRows: 0, map: 0, profile: 0, monthEnd: 0, stream: 0, topic: 0 });
    expect(releases()).toEqual([]);
  });

  it('at the release: on every path at once, one asOf boundary, one event', async () => {
    const moved = await admin('POST', `/year-${HELD}/reschedule`, {
      releaseAt: new Date(Date.now() + 1000).toISOString(),
      reason: 'Vorstellung vorgezogen',
    });
    expect(moved.status).toBe(200);
    const { releaseAt } = (await moved.json()) as { releaseAt: string };
    await control.waitUntil(() => releases().length > 0, 'the release event');
    const event = releases()[0];
    expect(JSON.parse(event.value!.toString('utf8'))).toMatchObject({ id: `year-${HELD}`, period: HELD, releaseAt });

    // Every held value went out with computedAt = the release time.
    await bed.tail.waitUntil(() => heldOnTopic().length >= 45 * REGIONS, 'the released values on the KPI topic');
    const out = heldOnTopic();
    expect(out.length).toBe(45 * REGIONS);
    expect(new Set(out.map((p) => p.computedAt))).toEqual(new Set([releaseAt]));

    const after = await waitUntil(async () => {
      const view = await publicView();
      return view.values === REGIONS && view.monthEnd === REGIONS && view.stream >= REGIONS ? view : undefined;
    }, 'the released year on every public path');
    expect(after).toMatchObject({ values: REGIONS, csvRows: REGIONS, monthEnd: REGIONS });
    expect(after.map).toBeGreaterThan(0);
    expect(after.profile).toBeGreaterThan(0);

    // One boundary: just before the release time nothing of the year, at it everything.
    const before = new Date(new Date(releaseAt).getTime() - 1).toISOString();
    const asOf = async (t: string) =>
      (await get(publication.url, `/api/v1/indicators/${INDICATOR}/values?from=${HELD}&to=${HELD}&asOf=${encodeURIComponent(t)}`)).json<{
        values: unknown[];
      }>().values.length;
    expect(await asOf(before)).toBe(0);
    expect(await asOf(releaseAt)).toBe(REGIONS);

    await bed.service.scheduler.idle();
    const list = (await (await admin('GET', '')).json()) as { releases: { state: string; published: number }[] };
    expect(list.releases).toEqual([expect.objectContaining({ state: 'released', published: 45 * REGIONS })]);
    expect(releases()).toHaveLength(1);
  });
});
