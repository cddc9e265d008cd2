import { MUNICIPALITIES, type Municipality, municipality } from '@sozialmonitor/regions';
import { randomAddress } from './addresses';
import { addYears, ageAt, type Day, formatDay, yearOf, yearStart, ymdOf } from './dates';
import {
  FAMILY_MOBILITY_FACTOR,
  LEAVER_DESTINATION,
  SEPARATED_DESTINATION,
  SEPARATION_RATE,
  type Sex,
  addressChangeRate,
  emigrationRate,
  fertility,
  fertilityFactor,
  internalMoveRate,
  leaveHomeRate,
  moveOutRate,
  mortality,
  partnerRate,
} from './demography';
import { type Arrival, type HouseholdDraft, drawHousehold } from './household-composition';
import type { Identifiers } from './identifiers';
import type { EndReason, Segment, SimHousehold, SimPerson, SimUnit, StartReason, Stay } from './model';
import { familyName, firstName, surnameFor } from './names';
import { GERMAN, RESIDENT_FOREIGN_MIX, nationalityGroup } from './nationalities';
import { type Random, weighted } from './random';

/**
 * Life courses of one household and the households that split off it (adult children moving out,
 * separated partners), from the day it enters the register until it leaves or until `endDay`.
 *
 * Events compete as exponential clocks whose rates are constant within a calendar year (ages are
 * taken on the day the year's piece starts): deaths, births, children leaving home, separations and
 * moves of the whole household (within the municipality, to another one of the county, out of the
 * county, abroad). A move inside the county ends the old residence segment and starts the new one on
 * the same day, so the register shows move_out/move_in (or address_change) pairs.
 */
export interface SimulationContext {
  /** Draws of events and household composition. */
  readonly demography: Random;
  /** Draws of names and addresses (kept apart so that changing one does not shift the other). */
  readonly identity: Random;
  readonly ids: Identifiers;
  /** Exclusive end: events happen on days before it (today + 1). */
  readonly endDay: Day;
}

export interface UnitEntry {
  ags: string;
  day: Day;
  arrival: Arrival;
}

const YEAR_DAYS = 365.2425;
const MAX_HOUSEHOLD_SIZE = 6;
const MIN_BIRTH_INTERVAL_DAYS = 300;

const destinationWeights = weighted(MUNICIPALITIES.map((m) => [m, m.inhabitantsEstimate] as const));

type Destination = { readonly sameMunicipality: number; readonly otherMunicipality: number };

interface Member {
  person: SimPerson;
  role: 'adult' | 'child';
  segment: Segment;
  lastBirthDay: Day | null;
}

interface Active {
  household: SimHousehold;
  members: Member[];
  stay: Stay;
  /** Family name the household's children get. */
  familyName: string;
  start: Day;
}

type Event =
  | { kind: 'death'; member: Member }
  | { kind: 'birth'; member: Member }
  | { kind: 'leave'; member: Member }
  | { kind: 'separation' }
  | { kind: 'partner' }
  | { kind: 'address_change' }
  | { kind: 'internal_move' }
  | { kind: 'move_out' }
  | { kind: 'emigration' };

export class HouseholdSimulation {
  private readonly events: Event[] = [];
  private readonly rates: number[] = [];

  constructor(private readonly ctx: SimulationContext) {}

  /** Simulates a household entering at `entry` and everything that splits off it. */
  simulate(entry: UnitEntry): SimUnit {
    const unit: SimUnit = { households: [], persons: [] };
    const draft = drawHousehold(this.ctx.demography, entry.arrival, yearOf(entry.day));
    const queue: Active[] = [this.createHousehold(unit, draft, entry)];
    while (queue.length > 0) this.run(unit, queue.shift()!, queue);
    return unit;
  }

  private createHousehold(unit: SimUnit, draft: HouseholdDraft, entry: UnitEntry): Active {
    const { identity } = this.ctx;
    const household: SimHousehold = {
      kind: draft.kind,
      origin: entry.arrival,
      nationality: draft.nationality,
      stays: [],
    };
    unit.households.push(household);
    const stay = this.openStay(household, entry.ags, entry.day);
    const family = familyName(identity, draft.nationality);
    const members: Member[] = [];
    for (const m of draft.members) {
      // The partner keeps an own family name now and then.
      const ownName =
        m.role === 'adult' && members.length === 1 && identity.chance(0.25)
          ? familyName(identity, m.nationality)
          : family;
      const birthDay = addYears(entry.day, -m.age) - identity.int(m.age === 0 ? 1 : 0, 364);
      const person = this.createPerson(unit, birthDay, m.sex, m.nationality, ownName);
      members.push({
        person,
        role: m.role,
        segment: this.openSegment(person, stay, entry.day, entry.arrival),
        lastBirthDay: null,
      });
    }
    return { household, members, stay, familyName: family, start: entry.day };
  }

  private createPerson(unit: SimUnit, birthDay: Day, sex: Sex, nationality: string, family: string): SimPerson {
    const birth = ymdOf(birthDay);
    const person: SimPerson = {
      personId: this.ctx.ids.personId(),
      firstName: firstName(this.ctx.identity, sex, birth.y, nationality),
      lastName: surnameFor(family, sex, nationality),
      birth,
      birthDay,
      birthDate: formatDay(birthDay),
      sex,
      nationality,
      deathDay: null,
      segments: [],
    };
    unit.persons.push(person);
    return person;
  }

  private openStay(household: SimHousehold, ags: string, day: Day): Stay {
    const m = municipality(ags) as Municipality;
    const stay: Stay = {
      household,
      ags,
      address: randomAddress(this.ctx.identity, m),
      from: day,
      to: null,
      segments: [],
    };
    household.stays.push(stay);
    return stay;
  }

  private openSegment(person: SimPerson, stay: Stay, day: Day, startReason: StartReason): Segment {
    const segment: Segment = { person, stay, from: day, to: null, startReason, endReason: null };
    person.segments.push(segment);
    stay.segments.push(segment);
    return segment;
  }

  private closeSegment(member: Member, day: Day, reason: EndReason): void {
    member.segment.to = day;
    member.segment.endReason = reason;
  }

  private run(unit: SimUnit, h: Active, queue: Active[]): void {
    const { demography, endDay } = this.ctx;
    let t = h.start + 0.5;
    while (h.members.length > 0 && t < endDay) {
      const pieceStart = Math.floor(t);
      const year = yearOf(pieceStart);
      const pieceEnd = Math.min(yearStart(year + 1), endDay);
      const total = this.collectRates(h, pieceStart, year);
      const wait = demography.exponential(total) * YEAR_DAYS;
      if (t + wait >= pieceEnd) {
        t = pieceEnd;
        continue;
      }
      t += wait;
      const event = this.pickEvent(total);
      this.apply(unit, h, event, Math.floor(t), queue);
    }
    if (h.members.length === 0) h.stay.to = h.stay.to ?? this.lastEnd(h.stay);
  }

  private lastEnd(stay: Stay): Day | null {
    let end: Day | null = stay.from;
    for (const s of stay.segments) {
      if (s.to === null) return null;
      if (end !== null && s.to > end) end = s.to;
    }
    return end;
  }

  private collectRates(h: Active, day: Day, year: number): number {
    this.events.length = 0;
    this.rates.length = 0;
    const add = (rate: number, event: Event): void => {
      if (rate <= 0) return;
      this.rates.push(rate);
      this.events.push(event);
    };
    const adults = h.members.filter((m) => m.role === 'adult');
    const head = adults[0] ?? h.members[0];
    const headAge = Math.max(18, ageAt(head.person.birth, day));
    const hasChildren = h.members.some((m) => m.role === 'child');
    const inCouple = adults.length >= 2;
    for (const m of h.members) {
      const age = ageAt(m.person.birth, day);
      add(mortality(age, m.person.sex), { kind: 'death', member: m });
      if (m.person.sex === 'f' && h.members.length < MAX_HOUSEHOLD_SIZE) {
        add(fertility(age) * fertilityFactor(inCouple && m.role === 'adult', m.role === 'child', hasChildren), {
          kind: 'birth',
          member: m,
        });
      }
      if (m.role === 'child') add(leaveHomeRate(age), { kind: 'leave', member: m });
    }
    if (inCouple && adults.every((a) => ageAt(a.person.birth, day) < 60)) add(SEPARATION_RATE, { kind: 'separation' });
    if (adults.length === 1 && h.members.length < MAX_HOUSEHOLD_SIZE)
      add(partnerRate(ageAt(adults[0].person.birth, day)), { kind: 'partner' });
    const mobility = hasChildren ? FAMILY_MOBILITY_FACTOR : 1;
    add(addressChangeRate(headAge) * mobility, { kind: 'address_change' });
    add(internalMoveRate(headAge) * mobility, { kind: 'internal_move' });
    add(moveOutRate(headAge) * mobility, { kind: 'move_out' });
    add(emigrationRate(nationalityGroup(head.person.nationality), year), { kind: 'emigration' });
    let total = 0;
    for (const r of this.rates) total += r;
    return total;
  }

  private pickEvent(total: number): Event {
    let x = this.ctx.demography.next() * total;
    for (let i = 0; i < this.rates.length; i++) {
      x -= this.rates[i];
      if (x < 0) return this.events[i];
    }
    return this.events[this.events.length - 1];
  }

  private apply(unit: SimUnit, h: Active, event: Event, day: Day, queue: Active[]): void {
    switch (event.kind) {
      case 'death':
        return this.death(h, event.member, day);
      case 'birth':
        return this.birth(unit, h, event.member, day);
      case 'leave':
        return this.leave(unit, h, event.member, day, queue);
      case 'separation':
        return this.separation(unit, h, day, queue);
      case 'partner':
        return this.partnerMovesIn(unit, h, day);
      case 'address_change':
        return this.moveHousehold(h, day, h.stay.ags);
      case 'internal_move':
        return this.moveHousehold(h, day, this.otherMunicipality(h.stay.ags));
      case 'move_out':
        return this.leaveCounty(h, day, 'move_out');
      case 'emigration':
        return this.leaveCounty(h, day, 'emigration');
    }
  }

  private death(h: Active, member: Member, day: Day): void {
    if (day <= member.segment.from) return;
    this.closeSegment(member, day, 'death');
    member.person.deathDay = day;
    h.members.splice(h.members.indexOf(member), 1);
    if (h.members.length > 0 && !h.members.some((m) => m.role === 'adult')) {
      // Orphaned children: the oldest from 16 on keeps the home; younger ones go to relatives elsewhere.
      const oldest = h.members.reduce((a, b) => (a.person.birthDay < b.person.birthDay ? a : b));
      if (ageAt(oldest.person.birth, day) >= 16) oldest.role = 'adult';
      else for (const m of [...h.members]) if (m.segment.from < day) this.removeMember(h, m, day, 'move_out');
    }
  }

  private removeMember(h: Active, member: Member, day: Day, reason: EndReason): void {
    this.closeSegment(member, day, reason);
    h.members.splice(h.members.indexOf(member), 1);
  }

  private birth(unit: SimUnit, h: Active, mother: Member, day: Day): void {
    if (mother.lastBirthDay !== null && day - mother.lastBirthDay < MIN_BIRTH_INTERVAL_DAYS) return;
    if (day <= mother.person.birthDay) return;
    mother.lastBirthDay = day;
    const { identity } = this.ctx;
    const sex: Sex = identity.chance(0.487) ? 'f' : 'm';
    const nationality =
      mother.person.nationality === GERMAN || identity.chance(0.45) ? GERMAN : mother.person.nationality;
    const person = this.createPerson(
      unit,
      day,
      sex,
      nationality,
      mother.role === 'child' ? mother.person.lastName : h.familyName,
    );
    h.members.push({
      person,
      role: 'child',
      segment: this.openSegment(person, h.stay, day, 'birth'),
      lastBirthDay: null,
    });
    // A young woman living with her parents who has a child stays in the household; her child is a grandchild.
  }

  /** Someone leaving for a home of their own: nearby, elsewhere in the county, or out of it. */
  private leave(
    unit: SimUnit,
    h: Active,
    member: Member,
    day: Day,
    queue: Active[],
    destination: Destination = LEAVER_DESTINATION,
  ): void {
    if (day <= member.segment.from) return;
    const x = this.ctx.demography.next();
    h.members.splice(h.members.indexOf(member), 1);
    if (x >= destination.sameMunicipality + destination.otherMunicipality) {
      const abroad = member.person.nationality !== GERMAN && this.ctx.demography.chance(0.3);
      this.closeSegment(member, day, abroad ? 'emigration' : 'move_out');
    } else {
      const same = x < destination.sameMunicipality;
      const ags = same ? h.stay.ags : this.otherMunicipality(h.stay.ags);
      this.closeSegment(member, day, same ? 'address_change' : 'move_out');
      const household: SimHousehold = {
        kind: 'single',
        origin: 'split',
        nationality: member.person.nationality,
        stays: [],
      };
      unit.households.push(household);
      const stay = this.openStay(household, ags, day);
      const segment = this.openSegment(member.person, stay, day, same ? 'address_change' : 'move_in');
      queue.push({
        household,
        members: [{ person: member.person, role: 'adult', segment, lastBirthDay: member.lastBirthDay }],
        stay,
        familyName: member.person.lastName,
        start: day,
      });
    }
  }

  private separation(unit: SimUnit, h: Active, day: Day, queue: Active[]): void {
    const adults = h.members.filter((m) => m.role === 'adult');
    if (adults.length < 2) return;
    const hasChildren = h.members.some((m) => m.role === 'child');
    // With children, the father moves out more often than the mother.
    const leaving =
      adults.find((a) => a.person.sex === 'm' && (!hasChildren || this.ctx.demography.chance(0.88))) ?? adults[1];
    this.leave(unit, h, leaving, day, queue, SEPARATED_DESTINATION);
  }

  /** A partner from outside the county moves in (from abroad: family reunion). */
  private partnerMovesIn(unit: SimUnit, h: Active, day: Day): void {
    const adult = h.members.find((m) => m.role === 'adult');
    if (!adult) return;
    const { identity, demography } = this.ctx;
    const head = adult.person;
    const sex: Sex = demography.chance(0.02) ? head.sex : head.sex === 'f' ? 'm' : 'f';
    const shift = sex === head.sex ? 0 : sex === 'm' ? 3 : -3;
    const age = Math.max(18, Math.round(ageAt(head.birth, day) + shift + demography.normal(0, 3.5)));
    const foreignHead = head.nationality !== GERMAN;
    const nationality = foreignHead
      ? demography.chance(0.7)
        ? head.nationality
        : GERMAN
      : demography.chance(0.06)
        ? RESIDENT_FOREIGN_MIX.draw(demography)
        : GERMAN;
    const fromAbroad = nationality !== GERMAN && demography.chance(0.6);
    const family = identity.chance(0.5) ? h.familyName : familyName(identity, nationality);
    const birthDay = addYears(day, -age) - identity.int(1, 364);
    const person = this.createPerson(unit, birthDay, sex, nationality, family);
    h.members.push({
      person,
      role: 'adult',
      segment: this.openSegment(person, h.stay, day, fromAbroad ? 'immigration' : 'move_in'),
      lastBirthDay: null,
    });
  }

  private moveHousehold(h: Active, day: Day, ags: string): void {
    if (h.members.some((m) => m.segment.from >= day)) return;
    const sameMunicipality = ags === h.stay.ags;
    h.stay.to = day;
    const stay = this.openStay(h.household, ags, day);
    for (const m of h.members) {
      this.closeSegment(m, day, sameMunicipality ? 'address_change' : 'move_out');
      m.segment = this.openSegment(m.person, stay, day, sameMunicipality ? 'address_change' : 'move_in');
    }
    h.stay = stay;
  }

  private leaveCounty(h: Active, day: Day, reason: 'move_out' | 'emigration'): void {
    if (h.members.some((m) => m.segment.from >= day)) return;
    for (const m of h.members) this.closeSegment(m, day, reason);
    h.members.length = 0;
    h.stay.to = day;
  }

  private otherMunicipality(ags: string): string {
    for (;;) {
      const m = destinationWeights.draw(this.ctx.demography);
      if (m.ags !== ags) return m.ags;
    }
  }
}
