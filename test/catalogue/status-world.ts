import type { LakeMessage } from '@sozialmonitor/contracts';
import {
  basicIncomeElderly,
  population,
  sgb2,
  unemployment,
} from '@sozialmonitor/indicators/testing/lake-fixtures';
import { computedRegions } from '@sozialmonitor/regions';

/** The municipalities of the status world: the first five of the county. */
export const STATUS_MUNICIPALITIES = computedRegions()
  .filter((r) => r.level === 'municipality')
  .slice(0, 5)
  .map((r) => r.code);

/**
 * Five municipalities with 20 adults (born 1980), 10 children (2015) and 10 elderly (1950) each, and
 * different shares in SGB II, unemployment and basic income in old age — every count 0 or at least 3,
 * so nothing is suppressed and the social status index has numbers to standardise. The first
 * municipality also has 7 births in 2023 (3 girls).
 */
export function statusWorld(): LakeMessage[] {
  const adultsInSgb2 = [3, 4, 6, 8, 10];
  const childrenInSgb2 = [3, 3, 4, 5, 6];
  const unemployed = [3, 4, 5, 6, 8];
  const basicIncome = [3, 3, 4, 5, 7];
  const out: LakeMessage[] = [];
  STATUS_MUNICIPALITIES.forEach((ags, m) => {
    const person = (kind: string, i: number) => `m${m}-${kind}-${i}`;
    for (let i = 0; i < 20; i++) {
      out.push(population({ personId: person('a', i), ags, validFrom: '2010-01-01', birthMonth: '1980-01' }));
      if (i < adultsInSgb2[m])
        out.push(sgb2({ personId: person('a', i), householdId: `m${m}-h${i}`, ags, validFrom: '2012-01-01' }));
      if (i < unemployed[m]) out.push(unemployment({ personId: person('a', i), ags, validFrom: '2012-01-01' }));
    }
    for (let i = 0; i < 10; i++) {
      out.push(population({ personId: person('k', i), ags, validFrom: '2015-01-01', birthMonth: '2015-01' }));
      if (i < childrenInSgb2[m])
        out.push(
          sgb2({
            personId: person('k', i),
            householdId: `m${m}-h${i}`,
            ags,
            validFrom: '2016-01-01',
            birthMonth: '2015-01',
            employable: false,
          }),
        );
      out.push(population({ personId: person('e', i), ags, validFrom: '2010-01-01', birthMonth: '1950-01', sex: 'f' }));
      if (i < basicIncome[m]) out.push(basicIncomeElderly({ personId: person('e', i), ags, validFrom: '2016-01-01' }));
    }
    if (m === 0)
      for (let i = 0; i < 7; i++)
        out.push(
          population({
            personId: `m0-b-${i}`,
            ags,
            validFrom: `2023-0${1 + i}-15`,
            birthMonth: `2023-0${1 + i}`,
            sex: i < 3 ? 'f' : 'm',
            startReason: 'birth',
          }),
        );
  });
  return out;
}
