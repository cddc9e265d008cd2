import type { LakeMessage } from '@sozialmonitor/contracts';
import { ELMSHORN, population } from '@sozialmonitor/indicators/testing/lake-fixtures';
import { fromParquet } from '@sozialmonitor/platform';
import { strFromU8, unzipSync } from 'fflate';
import { ANALYST_TOKEN, internalAuth, type KpiTestbed, publishLake, startTestbed } from './support';

const APPEN = '01056001';
const BARMSTEDT = '01056002';

interface Metadata {
  k: number;
  generatedAt: string;
  licence: string;
  totals: { records: number; released: number; generalized: number; withheld: number };
  sources: Record<string, { columns: { name: string; type: string }[]; counts: { byLevel: number[]; smallestClass: number } }>;
}

// The analysts' export of the lake (issue 17 part 4): k-anonymous quasi-identifiers, no identifiers,
// Parquet that reads back, and a metadata file that says what was generalized and withheld.
describe('lake export for analysis', () => {
  let bed: KpiTestbed | undefined;
  const lake: LakeMessage[] = [
    // 20 men born January 1990 in Elmshorn: a class of 20, released as it is
    ...Array.from({ length: 20 }, (_, i) => population({ personId: `e${i}`, ags: ELMSHORN, validFrom: '2015-03-17', birthMonth: '1990-01' })),
    // 6 women of Appen born in 1985, each in another month: the birth year makes a class of 6
    ...Array.from({ length: 6 }, (_, i) =>
      population({ personId: `a${i}`, ags: APPEN, validFrom: '2018-07-02', sex: 'f', birthMonth: `1985-0${i + 1}` }),
    ),
    // 3 foreign men of Barmstedt born March 1931: fewer than 5 at every level: withheld
    ...Array.from({ length: 3 }, (_, i) =>
      population({ personId: `b${i}`, ags: BARMSTEDT, validFrom: '2020-01-01', nationalityGroup: 'foreign', birthMonth: '1931-03' }),
    ),
  ];

  const download = async (query = '', token = ANALYST_TOKEN) =>
    fetch(`${bed!.service.url}/api/v1/exports/lake.zip${query}`, { headers: { authorization: `Bearer ${token}` } });
  const unzip = async (res: Response) => unzipSync(new Uint8Array(await res.arrayBuffer()));
  const metadataOf = (files: Record<string, Uint8Array>) => JSON.parse(strFromU8(files['metadata.json'])) as Metadata;

  beforeAll(async () => {
    bed = await startTestbed({ FIRST_YEAR: '2022', KPI_TODAY: '2024-06-30' }, lake);
    // one of the 20 is deleted: the export holds the lake as it is now
    await publishLake(bed.publisher, bed.env.LAKE_TOPIC, [{ source: 'population', recordId: lake[0].recordId, deleted: true }]);
    const deadline = Date.now() + 60_000;
    for (;;) {
      const res = await download();
      if (res.status === 200 && metadataOf(await unzip(res)).totals.records === 28) break;
      if (Date.now() > deadline) throw new Error('the lake did not reach the store in time');
      await new Promise((r) => setTimeout(r, 200));
    }
  });

  afterAll(async () => {
    await bed?.stop();
  });

  it('at k = 5 leaves no quasi-identifier class smaller than 5 and reports what it generalized and withheld', async () => {
    const files = await unzip(await download());
    expect(Object.keys(files).sort()).toEqual(['metadata.json', 'population.csv', 'population.parquet']);
    const metadata = metadataOf(files);
    expect(metadata.k).toBe(5);
    expect(metadata.totals).toEqual({ records: 28, released: 25, generalized: 6, withheld: 3 });
    expect(metadata.sources.population.counts).toMatchObject({ byLevel: [19, 6, 0, 0, 0, 0], smallestClass: 6 });
    expect(metadata.licence).toMatch(/nicht veröffentlichen/);
    expect(Date.parse(metadata.generatedAt)).not.toBeNaN();

    // read back with the same library: the rows, their classes, and nothing that identifies
    const rows = fromParquet(files['population.parquet']);
    expect(rows).toHaveLength(25);
    const classes = new Map<string, number>();
    for (const r of rows) {
      const key = JSON.stringify([r.birthMonth, r.sex, r.nationalityGroup, r.ags]);
      classes.set(key, (classes.get(key) ?? 0) + 1);
    }
    expect(Math.min(...classes.values())).toBeGreaterThanOrEqual(5);
    expect(rows.filter((r) => r.ags === APPEN).map((r) => r.birthMonth)).toEqual(Array(6).fill('1985'));
    expect(rows.some((r) => r.ags === BARMSTEDT)).toBe(false);
    const columns = metadata.sources.population.columns.map((c) => c.name);
    expect(Object.keys(rows[0]).sort()).toEqual([...columns].sort());
    for (const id of ['recordId', 'personId', 'pseudonymKeyId', 'source']) expect(columns).not.toContain(id);
    expect(new Set(rows.map((r) => r.validFrom))).toEqual(new Set(['2015-03', '2018-07']));
    const everything = strFromU8(files['population.csv']) + JSON.stringify(rows);
    for (const m of lake) expect(everything).not.toContain(m.recordId);
    expect(strFromU8(files['population.csv']).trimEnd().split('\r\n')).toHaveLength(26);
  });

  it('lets an analyst ask for a larger k, never a smaller one, and nobody else', async () => {
    const strict = metadataOf(await unzip(await download('?k=7')));
    expect(strict.totals).toMatchObject({ released: 19, withheld: 9 }); // Appen's 6 do not reach 7
    expect((await download('?k=2')).status).toBe(400);
    expect((await download('?k=5&format=x')).status).toBe(400);
    expect((await fetch(`${bed!.service.url}/api/v1/exports/lake.zip`)).status).toBe(401);
    expect((await fetch(`${bed!.service.url}/api/v1/exports/lake.zip`, { headers: internalAuth })).status).toBe(403);
  });
});
