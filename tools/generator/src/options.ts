import { InvalidArgumentError } from 'commander';
import { type Day, dayOf, formatDay, parseDay, todayFromClock } from './dates';
import { FORMATS, type Format } from './encoders';

/** Parsing and checking of the command-line values (commander calls these per option). */
export const MAX_SCALE = 20;
const EARLIEST_FROM = dayOf(2000, 1, 1);
const LATEST_TODAY = dayOf(2099, 12, 31);

export function parseScale(text: string): number {
  const value = Number(text);
  if (!/^\d*\.?\d+(e-?\d+)?$/i.test(text.trim()) || !(value > 0) || value > MAX_SCALE) {
    throw new InvalidArgumentError(
      `must be a number > 0 and <= ${MAX_SCALE} (1 = the real county, about 323,000 inhabitants)`,
    );
  }
  return value;
}

export function parseSeed(text: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(value))
    throw new InvalidArgumentError('must be a non-negative integer');
  return value;
}

export function parseDate(text: string): Day {
  const day = parseDay(text.trim());
  if (day === null) throw new InvalidArgumentError('must be a calendar date YYYY-MM-DD');
  return day;
}

export function parseFormats(text: string): Format[] {
  const parts = text
    .split(',')
    .map((p) => p.trim().toLowerCase())
    .filter((p) => p.length > 0);
  const unknown = parts.filter((p) => !(FORMATS as readonly string[]).includes(p));
  if (parts.length === 0 || unknown.length > 0)
    throw new InvalidArgumentError(`must be a comma-separated list of ${FORMATS.join(', ')}`);
  return FORMATS.filter((f) => parts.includes(f));
}

export interface DateRange {
  from: Day;
  today: Day;
  todayFromClock: boolean;
}

/** Checks --from and --today together; without --today the machine's local date is used. */
export function dateRange(from: Day, today: Day | undefined, now: () => Date = () => new Date()): DateRange {
  const todayFromClockUsed = today === undefined;
  const t = today ?? todayFromClock(now());
  if (from < EARLIEST_FROM)
    throw new InvalidArgumentError(
      `--from must not be before ${formatDay(EARLIEST_FROM)} (birth dates must stay after 1900)`,
    );
  if (t > LATEST_TODAY) throw new InvalidArgumentError(`--today must not be after ${formatDay(LATEST_TODAY)}`);
  if (t <= from) throw new InvalidArgumentError('--today must be after --from');
  return { from, today: t, todayFromClock: todayFromClockUsed };
}
