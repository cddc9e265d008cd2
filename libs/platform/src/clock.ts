import { type Day, formatDay, parseDay } from '@sozialmonitor/indicators';

/** What a clock needs of a service's environment (`ClockEnvironment` in libs/config). */
export interface ClockSettings {
  readonly TIME_ZONE: string;
  readonly KPI_TODAY?: string;
}

/**
 * The time every service works with: `now()`, and "today" — the calendar date in TIME_ZONE, or
 * KPI_TODAY when set — so that kpi-calculation and publication agree on `current`, default years and
 * month ends. A class, so that tests can replace it; bound in each module with the service's settings.
 */
export class Clock {
  private readonly dates: Intl.DateTimeFormat;
  private readonly fixedToday: Day | undefined;
  /** The IANA time zone of "today" (TIME_ZONE): the county's calendar. */
  readonly timeZone: string;

  constructor(settings: ClockSettings = { TIME_ZONE: 'Europe/Berlin' }) {
    this.timeZone = settings.TIME_ZONE;
    // en-CA formats as YYYY-MM-DD; an unknown time zone throws here, at start.
    this.dates = new Intl.DateTimeFormat('en-CA', {
      timeZone: settings.TIME_ZONE,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    this.fixedToday = settings.KPI_TODAY ? parseDay(settings.KPI_TODAY) : undefined;
  }

  now(): Date {
    return new Date();
  }

  /** Today as a day number. */
  today(): Day {
    return this.fixedToday ?? this.dayAt(this.now());
  }

  /** Today as `YYYY-MM-DD`. */
  todayText(): string {
    return formatDay(this.today());
  }

  /** The calendar date in the clock's time zone at an instant. */
  dayAt(instant: Date): Day {
    return parseDay(this.dates.format(instant));
  }
}
