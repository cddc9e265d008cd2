import { Clock } from '@sozialmonitor/platform';
import { ApiTokenRegistry } from '@sozialmonitor/platform/auth';
import { parseProfileQuery, parseValuesQuery } from '../domain/query-parameters';
import type { PublicationEnvironment } from '../publication.environment';
import { PeriodRequests } from './period-request';

describe('PeriodRequests: date=today with asOf (issue 11, hole 9)', () => {
  const requests = new PeriodRequests(
    ApiTokenRegistry.empty(),
    new Clock({ TIME_ZONE: 'Europe/Berlin', KPI_TODAY: '2026-11-25' }),
    { FIRST_YEAR: 2015 } as PublicationEnvironment,
  );
  const label = (asOf: string, parse: typeof parseValuesQuery | typeof parseProfileQuery = parseValuesQuery) => {
    const selection = requests.ask(parse, { date: 'today', asOf }, undefined).query.selection;
    return selection.kind === 'stored' ? selection.periods.map((p) => p.label) : [];
  };

  it("labels the current value with asOf's date in the county", () => {
    expect(label('2026-03-31T23:30:00Z')).toEqual(['2026-04-01']);
    expect(label('2031-01-01T00:00:00Z', parseProfileQuery)).toEqual(['2026-11-25']);
  });

  it('answers an asOf in a year before 1000 without failing (found by Schemathesis: a 500)', () => {
    expect(label('0397-08-13T23:54:36+08:18')).toEqual(['0397-08-13']);
  });
});
