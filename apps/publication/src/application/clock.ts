import { Injectable } from '@nestjs/common';
import { countyDate } from '../domain/calendar';

/** The time the API works with; a class so that tests can replace it. */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }

  /** Today in Kreis Pinneberg, `YYYY-MM-DD`. */
  today(): string {
    return countyDate(this.now());
  }
}
