import { EVENT_TYPES, type KpiValuePayload } from '@sozialmonitor/contracts';
import { ELMSHORN } from '@sozialmonitor/indicators/testing/lake-fixtures';
import type { KpiTestbed, ValueTail } from '../../apps/kpi-calculation/test/support';
import { get, type PublicationUnderTest, waitUntil } from '../../apps/publication/test/harness';
import { SseClient } from '../../apps/publication/test/sse-client';
import { type ReleaseStack, startReleaseStack } from './release-stack';

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
  let stack: ReleaseStack;
  let bed: KpiTestbed;
  let control: ValueTail;
  let publication: PublicationUnderTest;
  let stream: SseClient;
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
    stack = await startReleaseStack({
      name: 'embargo',
      firstYear: OPEN,
      adminToken: ADMIN_TOKEN,
      // The hold is placed before the year's records arrive: far in the future, moved forward below.
      beforeData: async (testbed) => {
        bed = testbed;
        const hold = await admin('POST', '', {
          year: HELD,
          releaseAt: new Date(Date.now() + 3_600_000).toISOString(),
          reason: 'Sozialbericht wird am Erscheinungstag vorgestellt',
        });
        expect(hold.status).toBe(201);
      },
      // The stream is open before any value is published: it would see a leak of the first round too.
      withPublication: async (p) => {
        stream = await SseClient.open(`${p.url}/api/v1/stream?indicator=${INDICATOR}`);
      },
    });
    // The open year is published (and reaches publication): the checks below are not vacuous.
    ({ control, publication } = stack);
  }, 240_000);

  afterAll(async () => {
    await stream?.close();
    await stack?.stop();
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
