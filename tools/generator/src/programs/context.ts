import type { Day } from '../dates';
import type { Identifiers } from '../identifiers';
import type { Interval } from '../intervals';
import type { SimPerson } from '../model';
import type { Random } from '../random';
import type { SourceName, SourceRecord } from '../sources';
import type { ResidencePeriod } from './timeline';

export interface ProgramContext {
  readonly random: Random;
  readonly ids: Identifiers;
  /** First day of the register extract (--from). Records that ended before it are not delivered. */
  readonly extractStart: Day;
  /** Exclusive end of simulated time: today + 1. */
  readonly endDay: Day;
  emit(source: SourceName, record: SourceRecord): void;
}

/** What the derivations of one unit know about a person, filled in program by program. */
export interface PersonFacts {
  person: SimPerson;
  periods: ResidencePeriod[];
  /** Grundsicherung because of reduced earning capacity (excludes SGB II). */
  reducedEarningCapacity: Interval[];
  /** Person-level SGB II receipt (all benefit units). */
  sgb2: Interval[];
}
