import { toCsv } from './csv';
import { etagOf, matchesIfNoneMatch, negotiate } from './http-caching';
import { SingleFlight } from './single-flight';
import { invalidationsFor, onDemandPlan, profilePlan, slicePlan } from './cache-plan';

describe('ETag and If-None-Match', () => {
  it('tags bytes and media type; matches lists, weak tags and *', () => {
    const tag = etagOf('{"a":1}', 'application/json');
    expect(tag).toMatch(/^"[\w-]+"$/);
    expect(etagOf('{"a":1}', 'text/csv')).not.toBe(tag);
    expect(etagOf('{"a":2}', 'application/json')).not.toBe(tag);
    expect(matchesIfNoneMatch(tag, tag)).toBe(true);
    expect(matchesIfNoneMatch(`"x", W/${tag}`, tag)).toBe(true);
    expect(matchesIfNoneMatch('*', tag)).toBe(true);
    expect(matchesIfNoneMatch('"other"', tag)).toBe(false);
    expect(matchesIfNoneMatch(undefined, tag)).toBe(false);
  });
});

describe('negotiate', () => {
  const offers = ['application/json', 'text/csv'] as const;
  it.each([
    [undefined, 'application/json'],
    ['*/*', 'application/json'],
    ['text/csv', 'text/csv'],
    ['text/csv, */*', 'text/csv'],
    ['text/*;q=0.9, application/json;q=0.5', 'text/csv'],
    ['application/json, text/csv;q=0.1', 'application/json'],
    ['application/xml', null],
    ['text/csv;q=0', null],
  ])('%s → %s', (accept, expected) => {
    expect(negotiate(accept, offers)).toBe(expected);
  });
});

describe('toCsv', () => {
  it('writes RFC 4180 with quotes where needed and empty cells for null', () => {
    expect(
      toCsv(
        ['a', 'b', 'c'],
        [
          ['Elmshorn, Stadt', null, 8.41],
          ['say "hi"', true, 0],
        ],
      ),
    ).toBe('a,b,c\r\n"Elmshorn, Stadt",,8.41\r\n"say ""hi""",true,0\r\n');
  });
});

describe('toCsv against CSV injection (issue 11, hole 9)', () => {
  it('prefixes text cells that a spreadsheet would run as a formula with an apostrophe', () => {
    expect(
      toCsv(
        ['t'],
        [['=HYPERLINK("http://x")'], ['+1+1'], ['-2+3'], ['@SUM(A1)'], ['\t=1'], ['Pinneberg'], ['-3.5'], [-3.5], ['a=b']],
      ),
    ).toBe(`t\r\n"'=HYPERLINK(""http://x"")"\r\n'+1+1\r\n'-2+3\r\n'@SUM(A1)\r\n'\t=1\r\nPinneberg\r\n-3.5\r\n-3.5\r\na=b\r\n`);
  });
});

describe('SingleFlight', () => {
  it('runs one computation per key for concurrent callers, and a new one afterwards', async () => {
    const flights = new SingleFlight<number>();
    let runs = 0;
    const compute = async () => {
      runs++;
      await new Promise((r) => setTimeout(r, 20));
      return runs;
    };
    const results = await Promise.all(Array.from({ length: 50 }, () => flights.run('k', compute)));
    expect(new Set(results)).toEqual(new Set([1]));
    expect(runs).toBe(1);
    await flights.run('k', compute);
    expect(runs).toBe(2);
    expect(flights.size).toBe(0);
  });

  it('shares a failure and forgets it', async () => {
    const flights = new SingleFlight<number>();
    await expect(
      Promise.all([flights.run('k', async () => Promise.reject(new Error('x'))), flights.run('k', async () => 1)]),
    ).rejects.toThrow('x');
    await expect(flights.run('k', async () => 2)).resolves.toBe(2);
  });
});

describe('cache plan', () => {
  it('retires exactly the entries a new value affects', () => {
    const { counters, entries } = invalidationsFor([{ indicatorId: 'births', regionCode: '01056015', period: '2023' }]);
    expect(entries.sort()).toEqual([slicePlan('births', '2023').key, profilePlan('01056015', '2023').key].sort());
    expect(counters.sort()).toEqual(
      [
        slicePlan('births', '2023').counters[1],
        profilePlan('01056015', '2023').counters[1],
        onDemandPlan('births', '2024-06-30').counters[1],
      ].sort(),
    );
    expect(entries).not.toContain(slicePlan('births', '2022').key);
    expect(entries).not.toContain(slicePlan('deaths', '2023').key);
  });
});
