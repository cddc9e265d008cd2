import { handComputedWorld } from '@sozialmonitor/indicators/testing/hand-computed-world';
import { COUNTY } from '@sozialmonitor/indicators/testing/lake-fixtures';
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

/** The stack of the scheduled-release tests (issue #17): kpi-calculation and publication on private topics. */
export interface ReleaseStack {
  bed: KpiTestbed;
  /** The control topic, where `values-released` is announced. */
  control: ValueTail;
  publication: PublicationUnderTest;
  stop(): Promise<void>;
}

const TODAY = '2024-06-30';

/**
 * Starts kpi-calculation (tokens: internal, analyst, the given admin), lets `beforeData` place holds, then
 * publication (`withPublication`), publishes the hand-computed world and waits until population of `firstYear` (12 in the
 * county) is public — so that what a test finds missing later is held, not late.
 */
export async function startReleaseStack(options: {
  name: string;
  firstYear: string;
  adminToken: string;
  beforeData?: (bed: KpiTestbed) => Promise<void>;
  /** Called once publication runs, before the data (e.g. to open a change stream that must see everything). */
  withPublication?: (publication: PublicationUnderTest) => Promise<void>;
}): Promise<ReleaseStack> {
  const bed = await startTestbed(
    {
      FIRST_YEAR: options.firstYear,
      KPI_TODAY: TODAY,
      API_TOKENS: JSON.stringify([
        { name: 'publication', token: INTERNAL_TOKEN, roles: ['internal'] },
        { name: 'analyst', token: ANALYST_TOKEN, roles: ['analyst'] },
        { name: 'planning-office', token: options.adminToken, roles: ['admin'] },
      ]),
    },
    [],
  );
  await options.beforeData?.(bed);
  const control = await ValueTail.start(bed.kafka, bed.env.CONTROL_TOPIC);
  const publication = await startPublication(
    baseEnv(isolatedNames(options.name), {
      PUBLICATION_KPI_TOPIC: bed.env.KPI_VALUES_TOPIC,
      CATALOGUE_TOPIC: bed.env.CATALOGUE_TOPIC,
      KPI_CALCULATION_URL: bed.service.url,
      KPI_CALCULATION_TOKEN: INTERNAL_TOKEN,
      FIRST_YEAR: options.firstYear,
      KPI_TODAY: TODAY,
    }),
  );
  const stop = async () => {
    await control.stop();
    await publication.close();
    await cleanUp(publication.env, publication.prefix);
    await bed.stop();
  };
  await options.withPublication?.(publication);
  await publishLake(bed.publisher, bed.env.LAKE_TOPIC, handComputedWorld());
  let last = '';
  const path = `/api/v1/indicators/population/values?from=${options.firstYear}&to=${options.firstYear}&region=${COUNTY}`;
  await waitUntil(async () => {
    const a = await get(publication.url, path);
    last = `${a.status} ${a.text.slice(0, 300)}`;
    return a.status === 200 && a.json<{ values: { value: number | null }[] }>().values[0]?.value === 12;
  }, `population of ${options.firstYear} is published`, 120_000).catch(async (e: Error) => {
    await stop();
    throw new Error(`${e.message}; publication answered ${last}`);
  });
  await bed.service.scheduler.idle();
  return { bed, control, publication, stop };
}
