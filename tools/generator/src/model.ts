import type { Address } from './addresses';
import type { Day, Ymd } from './dates';
import type { Sex } from './demography';
import type { Arrival, HouseholdKind } from './household-composition';

/**
 * The simulated truth of one generation unit: households, their stays at addresses and the residence
 * segments of their members. Source records are views of it.
 */
export type StartReason = 'birth' | 'move_in' | 'immigration' | 'address_change' | 'initial';
export type EndReason = 'death' | 'move_out' | 'emigration' | 'address_change';

export interface SimPerson {
  personId: string;
  firstName: string;
  lastName: string;
  birth: Ymd;
  birthDay: Day;
  birthDate: string;
  sex: Sex;
  nationality: string;
  deathDay: Day | null;
  /** Residence segments in time order; each lies in one stay. */
  segments: Segment[];
}

/** One residence spell of a person: the population record. `to` is exclusive; null = still valid. */
export interface Segment {
  person: SimPerson;
  stay: Stay;
  from: Day;
  to: Day | null;
  startReason: StartReason;
  endReason: EndReason | null;
}

/** A household living at one address. */
export interface Stay {
  household: SimHousehold;
  ags: string;
  address: Address;
  from: Day;
  to: Day | null;
  segments: Segment[];
}

export interface SimHousehold {
  /** Composition when the household entered (programs look at the members over time). */
  kind: HouseholdKind;
  /** How the household came to be: resident at the start, arrived, or split off another household. */
  origin: Arrival | 'split';
  /** Nationality of the head, which the household's benefit propensities follow. */
  nationality: string;
  stays: Stay[];
}

export interface SimUnit {
  households: SimHousehold[];
  persons: SimPerson[];
}
