import fc from 'fast-check';
import { birthMonthOf, GeneralizationError, nationalityGroupOf } from './generalization';

describe('generalization', () => {
  it('keeps year and month of a birth date', () => {
    expect(birthMonthOf('1990-02-14')).toBe('1990-02');
    expect(birthMonthOf('2100-12-31')).toBe('2100-12');
  });

  it('never keeps the day', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1900-01-01'), max: new Date('2100-12-31'), noInvalidDate: true }), (d) => {
        const iso = d.toISOString().slice(0, 10);
        expect(birthMonthOf(iso)).toBe(iso.slice(0, 7));
        expect(birthMonthOf(iso)).toMatch(/^\d{4}-\d{2}$/);
      }),
    );
  });

  it('rejects what is not a date without echoing it', () => {
    expect(() => birthMonthOf('14.02.1990')).toThrow(GeneralizationError);
    expect(() => birthMonthOf('14.02.1990')).toThrow(/^birthDate is not a date YYYY-MM-DD$/);
  });

  it('groups nationality into german and foreign', () => {
    expect(nationalityGroupOf('DE')).toBe('german');
    expect(nationalityGroupOf('TR')).toBe('foreign');
    expect(nationalityGroupOf('XX')).toBe('foreign');
    expect(() => nationalityGroupOf('de')).toThrow(GeneralizationError);
  });
});
