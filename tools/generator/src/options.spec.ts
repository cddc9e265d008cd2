import { InvalidArgumentError } from 'commander';
import { dayOf } from './dates';
import { dateRange, parseDate, parseFormats, parseScale, parseSeed } from './options';

describe('command-line values', () => {
  it('accepts sensible scales and rejects the rest', () => {
    expect(parseScale('0.02')).toBe(0.02);
    expect(parseScale('1')).toBe(1);
    for (const bad of ['0', '-1', 'abc', '21', '']) expect(() => parseScale(bad)).toThrow(InvalidArgumentError);
  });

  it('accepts non-negative integer seeds', () => {
    expect(parseSeed('42')).toBe(42);
    for (const bad of ['-1', '1.5', 'x', '99999999999999999999'])
      expect(() => parseSeed(bad)).toThrow(InvalidArgumentError);
  });

  it('parses dates and format lists', () => {
    expect(parseDate('2015-01-01')).toBe(dayOf(2015, 1, 1));
    expect(() => parseDate('2015-02-30')).toThrow(InvalidArgumentError);
    expect(parseFormats('ndjson, CSV')).toEqual(['csv', 'ndjson']);
    expect(() => parseFormats('xml')).toThrow(InvalidArgumentError);
    expect(() => parseFormats(',')).toThrow(InvalidArgumentError);
  });

  it('uses the clock only without --today, and requires today after from', () => {
    const from = dayOf(2015, 1, 1);
    expect(dateRange(from, dayOf(2024, 6, 30))).toEqual({ from, today: dayOf(2024, 6, 30), todayFromClock: false });
    expect(dateRange(from, undefined, () => new Date(2025, 2, 4, 12))).toEqual({
      from,
      today: dayOf(2025, 3, 4),
      todayFromClock: true,
    });
    expect(() => dateRange(from, from)).toThrow(InvalidArgumentError);
    expect(() => dateRange(dayOf(1990, 1, 1), dayOf(2000, 1, 1))).toThrow(InvalidArgumentError);
  });
});
