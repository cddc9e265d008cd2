import { fmtRatio, markdownTable, percentile, ratio, resultDocument, verdict } from './report';

describe('benchmark table', () => {
  it('checks a figure against its goal in either direction', () => {
    expect(verdict({ checked: 0.85, goal: { atLeast: 0.8, text: '≥ 0.8×' } })).toBe('met');
    expect(verdict({ checked: 0.16, goal: { atLeast: 0.8, text: '≥ 0.8×' } })).toBe('MISSED');
    expect(verdict({ checked: 12, goal: { atMost: 10, text: '≤ 10 ms' } })).toBe('MISSED');
    expect(verdict({ checked: Number.NaN, goal: { atMost: 10, text: '≤ 10 ms' } })).toBe('MISSED');
    expect(verdict({ checked: 3 })).toBe('—');
  });

  it('formats ratios and refuses a division by zero', () => {
    expect(fmtRatio(ratio(1436, 9221))).toBe('0.16×');
    expect(fmtRatio(ratio(25, 2))).toBe('12.5×');
    expect(fmtRatio(ratio(1, 0))).toBe('n/a');
  });

  it('takes nearest-rank percentiles', () => {
    expect(percentile([5, 1, 4, 2, 3], 50)).toBe(3);
    expect(percentile([5, 1, 4, 2, 3], 99)).toBe(5);
    expect(percentile([], 50)).toBeNaN();
  });

  it('prints every row with its goal and verdict, escaping pipes', () => {
    const table = markdownTable([
      { scenario: 'reads', measure: 'values | health', value: '0.16×', checked: 0.16, goal: { atLeast: 0.8, text: '≥ 0.8×' } },
      { scenario: 'growth', measure: 'records/s', value: '3,000' },
    ]);
    expect(table.split('\n')).toEqual([
      '| scenario | measure | value | goal | verdict | note |',
      '|---|---|---|---|---|---|',
      '| reads | values \\| health | 0.16× | ≥ 0.8× | MISSED |  |',
      '| growth | records/s | 3,000 |  | — |  |',
    ]);
    expect(resultDocument({ quick: true }, [{ scenario: 'a', measure: 'b', value: '1', checked: 1, goal: { atMost: 2, text: '≤ 2' } }])).toEqual({
      quick: true,
      rows: [{ scenario: 'a', measure: 'b', value: '1', checked: 1, goal: { atMost: 2, text: '≤ 2' }, verdict: 'met' }],
    });
  });
});
