import { Injectable } from '@nestjs/common';
import { type Day, parseDay } from '@sozialmonitor/indicators';
import { calendarDay } from '../domain/period-plan';
import { KpiCalculationEnvironment } from '../kpi-calculation.environment';

/** "Today" for the `current` period: the calendar date in TIME_ZONE, or KPI_TODAY when set. */
@Injectable()
export class Clock {
  constructor(private readonly env: KpiCalculationEnvironment) {}

  today(): Day {
    return this.env.KPI_TODAY ? parseDay(this.env.KPI_TODAY) : calendarDay(new Date(), this.env.TIME_ZONE);
  }

  now(): Date {
    return new Date();
  }
}
