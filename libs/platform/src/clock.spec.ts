import { formatDay } from '@sozialmonitor/indicators';
import { Clock } from './clock';

describe('Clock', () => {
  it('takes the calendar date in its time zone', () => {
    const instant = new Date('2024-12-31T23:30:00Z');
    expect(formatDay(new Clock({ TIME_ZONE: 'Europe/Berlin' }).dayAt(instant))).toBe('2025-01-01');
    expect(formatDay(new Clock({ TIME_ZONE: 'UTC' }).dayAt(instant))).toBe('2024-12-31');
    expect(formatDay(new Clock({ TIME_ZONE: 'America/New_York' }).dayAt(instant))).toBe('2024-12-31');
  });

  it('answers KPI_TODAY as today when set, the real date otherwise', () => {
    const fixed = new Clock({ TIME_ZONE: 'UTC', KPI_TODAY: '2024-06-30' });
    expect(fixed.todayText()).toBe('2024-06-30');
    expect(formatDay(fixed.today())).toBe('2024-06-30');
    const real = new Clock({ TIME_ZONE: 'UTC' });
    expect(real.todayText()).toBe(new Date().toISOString().slice(0, 10));
  });

  it('refuses an unknown time zone at construction', () => {
    expect(() => new Clock({ TIME_ZONE: 'Mars/Olympus' })).toThrow(RangeError);
  });
});
