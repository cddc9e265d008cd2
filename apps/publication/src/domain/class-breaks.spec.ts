import { classBreaks, classOf } from './class-breaks';

describe('class breaks', () => {
  const values = [1, 2, 4, 5, 7, 9, 10, 20];

  it('equal: k intervals of the same width between min and max', () => {
    expect(classBreaks(values, 'equal', 4).breaks).toEqual([1, 5.75, 10.5, 15.25, 20]);
    expect(classBreaks([0, 10], 'equal', 5).breaks).toEqual([0, 2, 4, 6, 8, 10]);
  });

  it('quantile: about as many values in each class (type 7 quantiles)', () => {
    const { breaks } = classBreaks([1, 2, 3, 4, 5, 6, 7, 8, 9], 'quantile', 4);
    expect(breaks).toEqual([1, 3, 5, 7, 9]);
    const counts = [0, 0, 0, 0];
    for (const v of [1, 2, 3, 4, 5, 6, 7, 8, 9]) counts[classOf(v, breaks)!]++;
    expect(counts).toEqual([3, 2, 2, 2]);
  });

  it('jenks: natural breaks separate the clusters of the data', () => {
    const clustered = [1, 1.2, 1.1, 5, 5.3, 5.1, 20, 21];
    const { breaks } = classBreaks(clustered, 'jenks', 3);
    expect(breaks).toEqual([1, 1.2, 5.3, 21]);
    expect(clustered.map((v) => classOf(v, breaks))).toEqual([0, 0, 0, 1, 1, 1, 2, 2]);
  });

  it('gives fewer classes than asked when there are fewer distinct values, and none without values', () => {
    expect(classBreaks([3, 3, 8], 'jenks', 5).breaks).toEqual([3, 8]);
    expect(classBreaks([4, 4], 'quantile', 5).breaks).toEqual([4, 4]);
    expect(classBreaks([], 'equal', 5).breaks).toEqual([]);
    expect(classBreaks([1, 1, 1, 1, 9], 'quantile', 5).breaks).toEqual([1, 2.6, 9]);
  });

  it('limits rise strictly and every value falls into a class', () => {
    for (const method of ['quantile', 'equal', 'jenks'] as const) {
      for (let k = 3; k <= 7; k++) {
        const data = Array.from({ length: 49 }, (_, i) => Math.round(Math.sin(i * 7.3) * 1000) / 100);
        const { breaks } = classBreaks(data, method, k);
        expect(breaks.length).toBeLessThanOrEqual(k + 1);
        for (let i = 1; i < breaks.length; i++) expect(breaks[i]).toBeGreaterThan(breaks[i - 1]);
        for (const v of data) expect(classOf(v, breaks)).toEqual(expect.any(Number));
        expect(classOf(Math.min(...data), breaks)).toBe(0);
        expect(classOf(Math.max(...data), breaks)).toBe(breaks.length - 2);
      }
    }
  });

  it('has no class for a missing value', () => {
    expect(classOf(null, [1, 2, 3])).toBeNull();
  });
});
