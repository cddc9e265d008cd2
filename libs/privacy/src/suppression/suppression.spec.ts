import { disclosureCounts, isPrimarySuppressed } from './primary-suppression';
import { publishedForm } from './published-form';
import { type SuppressionInput, suppressValues } from './secondary-suppression';

const m = (ags: string, counts: number[], exactValue: number | null = 1): SuppressionInput => ({
  regionCode: ags,
  counts,
  exactValue,
});

describe('primary suppression', () => {
  it('suppresses any count between 1 and threshold − 1; zero is not suppressed', () => {
    expect(isPrimarySuppressed([1, 500])).toBe(true);
    expect(isPrimarySuppressed([2, 500])).toBe(true);
    expect(isPrimarySuppressed([500, 2])).toBe(true); // a denominator counts as well
    expect(isPrimarySuppressed([3, 500])).toBe(false);
    expect(isPrimarySuppressed([0, 500])).toBe(false);
    expect(isPrimarySuppressed([0, 0])).toBe(false);
  });

  it('takes a configurable threshold', () => {
    expect(isPrimarySuppressed([4, 500], { threshold: 5 })).toBe(true);
    expect(isPrimarySuppressed([5, 500], { threshold: 5 })).toBe(false);
    expect(isPrimarySuppressed([1, 500], { threshold: 1 })).toBe(false);
    expect(() => isPrimarySuppressed([1], { threshold: 0 })).toThrow(RangeError);
  });

  it('counts the units a sum runs over: a sum over one or two households is suppressed', () => {
    expect(isPrimarySuppressed([5, 500])).toBe(false); // 5 persons … in how many households?
    expect(isPrimarySuppressed([5, 500], {}, [1])).toBe(true); // one: its size would be published
    expect(isPrimarySuppressed([7, 500], {}, [2])).toBe(true);
    expect(isPrimarySuppressed([9, 500], {}, [3])).toBe(false);
    expect(isPrimarySuppressed([0, 500], {}, [0])).toBe(false);
    expect(disclosureCounts([49, 50], true, [4])).toEqual([49, 50, 1, 4]);
    const decisions = suppressValues([
      { regionCode: '01056015', counts: [5, 500], units: [1], exactValue: 1 },
      { regionCode: '01056039', counts: [30, 500], units: [9], exactValue: 6 },
      { regionCode: '01056050', counts: [40, 500], units: [12], exactValue: 8 },
    ]);
    expect(decisions.map((d) => d.reason ?? '-')).toEqual(['primary', 'secondary', '-']);
  });

  it('protects the rest of a share: all but one person has the attribute', () => {
    // 49 of 50 inhabitants are foreign: the one German is disclosed by 98 %.
    expect(disclosureCounts([49, 50], true)).toEqual([49, 50, 1]);
    expect(isPrimarySuppressed([49, 50], { share: true })).toBe(true);
    expect(isPrimarySuppressed([49, 50], { share: false })).toBe(false);
    expect(isPrimarySuppressed([50, 50], { share: true })).toBe(false); // rest 0: everybody, nobody singled out
    expect(isPrimarySuppressed([47, 50], { share: true })).toBe(false);
  });
});

describe('secondary suppression', () => {
  it('with exactly one primary-suppressed municipality, also suppresses the smallest positive first count', () => {
    const decisions = suppressValues([
      m('01056001', [2, 100]), // primary
      m('01056002', [10, 100]),
      m('01056003', [4, 100]), // smallest positive first count among the rest
      m('01056004', [0, 100]), // zero is not positive
      m('01056', [16, 400]), // the county is no candidate
    ]);
    expect(decisions).toEqual([
      { regionCode: '01056001', suppressed: true, reason: 'primary' },
      { regionCode: '01056002', suppressed: false },
      { regionCode: '01056003', suppressed: true, reason: 'secondary' },
      { regionCode: '01056004', suppressed: false },
      { regionCode: '01056', suppressed: false },
    ]);
  });

  it('breaks ties by the lowest AGS', () => {
    const decisions = suppressValues([
      m('01056009', [1, 9]),
      m('01056008', [5, 9]),
      m('01056005', [5, 9]),
      m('01056006', [7, 9]),
    ]);
    expect(decisions.filter((d) => d.reason === 'secondary').map((d) => d.regionCode)).toEqual(['01056005']);
  });

  it('does nothing when none or several municipalities are primary-suppressed', () => {
    expect(suppressValues([m('01056001', [5, 9]), m('01056002', [6, 9])]).some((d) => d.suppressed)).toBe(false);
    const two = suppressValues([m('01056001', [1, 9]), m('01056002', [2, 9]), m('01056003', [6, 9])]);
    expect(two.map((d) => d.reason ?? null)).toEqual(['primary', 'primary', null]);
  });

  it('counts only municipalities: a suppressed county value alone triggers nothing', () => {
    const d = suppressValues([m('01056', [2, 9]), m('01056001', [5, 9]), m('01056002', [6, 9])]);
    expect(d.map((x) => x.reason ?? null)).toEqual(['primary', null, null]);
  });

  it('skips values without a number (denominator zero): hiding them protects nothing', () => {
    const d = suppressValues([m('01056001', [1, 9]), m('01056002', [3, 0], null), m('01056003', [8, 9])]);
    expect(d.map((x) => x.reason ?? null)).toEqual(['primary', null, 'secondary']);
  });

  it('uses the share rule in both steps', () => {
    const d = suppressValues([m('01056001', [8, 9]), m('01056002', [5, 20]), m('01056003', [4, 20])], { share: true });
    expect(d.map((x) => x.reason ?? null)).toEqual(['primary', null, 'secondary']);
  });
});

describe('published form', () => {
  it('carries nothing a suppressed value could be recomputed from', () => {
    const form = publishedForm(
      { regionCode: '01056001', value: 12.5 },
      { regionCode: '01056001', suppressed: true, reason: 'primary' },
    );
    expect(form).toEqual({ regionCode: '01056001', value: null, suppressed: true, reason: 'primary' });
    expect(Object.keys(form).sort()).toEqual(['reason', 'regionCode', 'suppressed', 'value']);
  });

  it('publishes the value, or null with denominator_zero or no_data', () => {
    expect(publishedForm({ regionCode: 'x', value: 12.5 }, { regionCode: 'x', suppressed: false })).toEqual({
      regionCode: 'x',
      value: 12.5,
      suppressed: false,
    });
    expect(publishedForm({ regionCode: 'x', value: null }, { regionCode: 'x', suppressed: false })).toEqual({
      regionCode: 'x',
      value: null,
      suppressed: false,
      reason: 'denominator_zero',
    });
    expect(
      publishedForm({ regionCode: 'x', value: null, reason: 'no_data' }, { regionCode: 'x', suppressed: false }),
    ).toEqual({ regionCode: 'x', value: null, suppressed: false, reason: 'no_data' });
  });
});
