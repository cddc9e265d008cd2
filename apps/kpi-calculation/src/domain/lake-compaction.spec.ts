import { latestPerKey } from './lake-compaction';

describe('latestPerKey (lake retention, issue 11 hole 10)', () => {
  it('keeps the entry with the highest offset of every key, in offset order, whatever the input order', () => {
    const entries: [number, string][] = [[5, 'a'], [2, 'b'], [1, 'a'], [9, 'b'], [3, 'c'], [7, 'a']];
    expect(latestPerKey(entries, ([, k]) => k, ([o]) => o)).toEqual([[3, 'c'], [7, 'a'], [9, 'b']]);
    expect(latestPerKey([], (e: [number, string]) => e[1], (e) => e[0])).toEqual([]);
  });
});
