import type { LakeRecord } from '@sozialmonitor/contracts';
import { COUNTY_CODE } from '@sozialmonitor/regions';
import type { CompiledMeasureCall } from '../expression/compile';
import type { MeasureValue } from '../expression/evaluate';
import { FAMILIES, measureRegistryGeneration, subjectKinds, type SubjectKind } from '../measures/measure-registry';
import { birthMonthRange } from '../time/age';
import { type Day, monthIndexOfDay, OPEN_END, yearsEarlier } from '../time/day';
import { eventWindow } from '../time/period';
import { ChangeSet } from './change-set';
import { type ContributionContext, contributionOf, type Contribution } from './contribution';
import { FamilyStore } from './family-store';
import { familySlot, normalizeLakeRecord } from './normalize';
import type { Rejection, Spell } from './spell';

export interface SubjectUpdate {
  readonly changes: ChangeSet;
  readonly rejected: readonly Rejection[];
}

interface KindRuntime {
  readonly kind: SubjectKind;
  readonly stores: readonly FamilyStore[];
}

const byRecordKey = (a: Spell, b: Spell): number =>
  a.recordKey < b.recordKey ? -1 : a.recordKey > b.recordKey ? 1 : 0;

/**
 * The counting engine: histograms of every family per region over time, fed subject by subject.
 *
 * A subject is what a state family counts once: a person (population, sgb2, unemployment,
 * basic_income_elderly by personId), a child (childcare by childId), a household (housing_benefit and
 * the sgb2 benefit units by householdId), a case (youth_welfare by recordId). `applySubject` replaces
 * a subject's records: it subtracts the contribution of the records applied before and adds the
 * contribution of the new ones, so applying the same records twice changes nothing and the order in
 * which subjects arrive does not matter.
 */
export class CountingEngine {
  private readonly regionCodes: string[] = [];
  private readonly regionIds = new Map<string, number>();
  readonly countyRegion: number;
  private readonly stores: FamilyStore[] = [];
  private readonly storeByFamily = new Map<string, FamilyStore>();
  private readonly kinds = new Map<string, KindRuntime>();
  private generation = -1;
  private readonly subjects = new Map<string, Spell[]>();
  private readonly matchCache = new WeakMap<CompiledMeasureCall, Int8Array>();
  private readonly ctxByKind = new Map<string, ContributionContext>();

  constructor() {
    this.countyRegion = this.regionId(COUNTY_CODE);
    this.syncFamilies();
  }

  /**
   * Adds stores for families registered since (a source registered at run time); existing stores and
   * their indexes stay. Families are only ever appended, so this is cheap to call before every use.
   */
  private syncFamilies(): void {
    const generation = measureRegistryGeneration();
    if (generation === this.generation) return;
    this.generation = generation;
    for (let i = this.stores.length; i < FAMILIES.length; i++) {
      const store = new FamilyStore(i, FAMILIES[i], familySlot(FAMILIES[i]));
      this.stores.push(store);
      this.storeByFamily.set(store.family.name, store);
    }
    for (const kind of subjectKinds()) {
      const rt = { kind, stores: kind.families.map((f) => this.storeByFamily.get(f.name)!) };
      this.kinds.set(kind.name, rt);
      this.ctxByKind.set(kind.name, {
        stores: rt.stores,
        regionId: (code) => this.regionId(code),
        countyRegion: this.countyRegion,
      });
    }
  }

  /** `<subject kind>:<id>`, e.g. `population:Xy…` or `sgb2.household:Ab…`. */
  static subjectKey(kind: SubjectKind | string, id: string): string {
    return `${typeof kind === 'string' ? kind : kind.name}:${id}`;
  }

  regionId(code: string): number {
    let id = this.regionIds.get(code);
    if (id === undefined) {
      id = this.regionCodes.length;
      this.regionCodes.push(code);
      this.regionIds.set(code, id);
    }
    return id;
  }

  /** Region codes that have received data (municipalities) plus the county. */
  knownRegions(): string[] {
    return [...this.regionCodes];
  }

  /** Merges all pending deltas into the compact rows; call after a bulk load to free the logs. */
  compact(): void {
    for (const s of this.stores) s.compact();
  }

  get subjectCount(): number {
    return this.subjects.size;
  }

  subjectSpells(subjectKey: string): readonly Spell[] {
    return this.subjects.get(subjectKey) ?? [];
  }

  /**
   * Replaces the records of one subject (`<subject kind>:<id>`) with `records` (its complete
   * current set; empty removes the subject). Records that cannot be counted are left out and reported.
   */
  applySubject(subjectKey: string, records: readonly LakeRecord[]): SubjectUpdate {
    this.syncFamilies();
    const colon = subjectKey.indexOf(':');
    const rt = colon > 0 ? this.kinds.get(subjectKey.slice(0, colon)) : undefined;
    if (!rt) throw new RangeError('unknown subject kind in subject key');
    const spells: Spell[] = [];
    const rejected: Rejection[] = [];
    for (const record of records) {
      const n = normalizeLakeRecord(record);
      if (!n.ok) rejected.push(n.rejection);
      else if (!n.spell.subjects.includes(subjectKey)) {
        rejected.push({
          source: record.source,
          recordId: record.recordId,
          field: rt.kind.subjectField,
          rule: 'not of this subject',
        });
      } else spells.push(n.spell);
    }
    const changes = new ChangeSet();
    this.applySpells(subjectKey, spells, changes);
    return { changes, rejected };
  }

  /**
   * Core of applySubject for already normalized spells (the array is kept and sorted in place);
   * adds what changed to `changes`.
   */
  applySpells(subjectKey: string, spells: Spell[], changes: ChangeSet): void {
    this.syncFamilies();
    const rt = this.kinds.get(subjectKey.slice(0, subjectKey.indexOf(':')));
    if (!rt) throw new RangeError('unknown subject kind in subject key');
    const ctx = this.ctxByKind.get(rt.kind.name)!;
    if (spells.length > 1) spells.sort(byRecordKey);
    const old = this.subjects.get(subjectKey);
    const added = contributionOf(rt.kind, spells, ctx);
    const fresh = old === undefined;
    const diff = fresh ? added : difference(contributionOf(rt.kind, old, ctx), added);
    if (spells.length > 0) this.subjects.set(subjectKey, spells);
    else this.subjects.delete(subjectKey);
    if (diff.length === 0) return;
    for (let q = 0; q < diff.length; q += 5)
      this.stores[diff[q]].add(diff[q + 1], diff[q + 2], diff[q + 3], diff[q + 4]);
    if (fresh) this.trackAdded(diff, changes);
    else this.trackDifference(diff, changes);
  }

  /**
   * Days touched by a first contribution: state intervals come as adjacent (+1 start, −1 end) pairs
   * (or a lone +1 when open-ended), events as +1.
   */
  private trackAdded(c: Contribution, changes: ChangeSet): void {
    let lastFamily = -1;
    for (let q = 0; q < c.length; q += 5) {
      const f = c[q];
      const family = this.stores[f].family;
      if (f !== lastFamily) {
        changes.families.add(family.name);
        lastFamily = f;
      }
      const region = this.regionCodes[c[q + 1]];
      const day = c[q + 3];
      if (family.kind === 'event') changes.addRange(region, day, day + 1);
      else if (
        q + 5 < c.length &&
        c[q + 5] === f &&
        c[q + 6] === c[q + 1] &&
        c[q + 7] === c[q + 2] &&
        c[q + 9] === -1
      ) {
        changes.addRange(region, day, c[q + 8]);
        q += 5;
      } else changes.addRange(region, day, OPEN_END);
    }
  }

  /**
   * Days touched by a difference: per (family, region) the hull of the touched days; open-ended when
   * a cell's net change persists (an interval added or removed without its end).
   */
  private trackDifference(diff: Contribution, changes: ChangeSet): void {
    const hulls = new Map<number, number[]>();
    const net = new Map<number, number>();
    for (let q = 0; q < diff.length; q += 5) {
      const f = diff[q];
      const day = diff[q + 3];
      const key = f * 4096 + diff[q + 1];
      const event = this.stores[f].family.kind === 'event';
      const end = event ? day + 1 : day;
      const h = hulls.get(key);
      if (h === undefined) hulls.set(key, [day, end, 0]);
      else {
        if (day < h[0]) h[0] = day;
        if (end > h[1]) h[1] = end;
      }
      if (!event) {
        const cellKey = key * 4194304 + diff[q + 2];
        net.set(cellKey, (net.get(cellKey) ?? 0) + diff[q + 4]);
      }
    }
    for (const [cellKey, sum] of net) if (sum !== 0) hulls.get(Math.floor(cellKey / 4194304))![2] = 1;
    for (const [key, h] of hulls) {
      const f = Math.floor(key / 4096);
      changes.families.add(this.stores[f].family.name);
      changes.addRange(this.regionCodes[key - f * 4096], h[0], h[2] === 1 ? OPEN_END : h[1]);
    }
  }

  /** The count (or sum), the sum of ages and the number of units counted of one measure call in a region at a Stichtag. */
  measure(call: CompiledMeasureCall, regionCode: string, stichtag: Day): MeasureValue {
    const d = call.yearsBack > 0 ? yearsEarlier(stichtag, call.yearsBack) : stichtag;
    this.syncFamilies();
    const store = this.storeByFamily.get(call.family.name)!;
    const r = this.regionIds.get(regionCode);
    const series = r === undefined ? undefined : store.region(r);
    if (!series) return { value: 0, ageSum: 0, units: 0 };
    const snap = call.family.kind === 'state' ? series.counts(d) : series.counts(d, eventWindow(d).from);
    const month = monthIndexOfDay(d);
    const bm = store.cellBirthMonth;
    const range = call.age ? birthMonthRange(call.age.min, call.age.max, month) : null;
    const sumDim =
      call.measure.aggregate.kind === 'sum'
        ? call.family.dimensions.findIndex(
            (x) => x.name === (call.measure.aggregate as { dimension: string }).dimension,
          )
        : -1;
    const matches = call.tests.length > 0 ? this.matches(call, store) : null;
    let value = 0;
    let ageSum = 0;
    let units = 0;
    const { cells, counts } = snap;
    for (let i = 0; i < cells.length; i++) {
      const cell = cells[i];
      if (matches !== null && matches[cell] !== 1) continue;
      const b = bm[cell];
      if (range !== null && (b < range.lo || b > range.hi)) continue;
      const n = counts[i];
      value += sumDim >= 0 ? n * (store.cellValues[cell][sumDim] as number) : n;
      units += n;
      if (b === b) ageSum += n * Math.floor((month - b) / 12);
    }
    return { value, ageSum, units };
  }

  /** Per cell of the family: 1 when the call's attribute tests pass, else 0 (cached, grown with new cells). */
  private matches(call: CompiledMeasureCall, store: FamilyStore): Int8Array {
    const m = this.matchCache.get(call);
    if (m && m.length === store.cellCount) return m;
    const next = new Int8Array(store.cellCount);
    const start = m ? m.length : 0;
    if (m) next.set(m);
    for (let cell = start; cell < store.cellCount; cell++) {
      const values = store.cellValues[cell];
      next[cell] = call.tests.every((t) => t.test(values[t.dimension])) ? 1 : 0;
    }
    this.matchCache.set(call, next);
    return next;
  }
}

const DAY_OFFSET = 30000; // 1900-01-01 is day −25567; dates end 2100-12-31 (day 47481)

/** Packs (family, region, cell, day) into one safe integer: 4 + 6 + 22 + 17 bits. */
function packable(c: Contribution): boolean {
  for (let q = 0; q < c.length; q += 5) {
    if (
      c[q] >= 16 ||
      c[q + 1] >= 64 ||
      c[q + 2] >= 4194304 ||
      c[q + 3] + DAY_OFFSET < 0 ||
      c[q + 3] + DAY_OFFSET >= 131072
    )
      return false;
  }
  return true;
}

/** `added − removed` as quintuples, without entries that cancel. */
function difference(removed: Contribution, added: Contribution): Contribution {
  const out: Contribution = [];
  if (packable(removed) && packable(added)) {
    const sums = new Map<number, number>();
    const put = (c: Contribution, sign: number): void => {
      for (let q = 0; q < c.length; q += 5) {
        const key = ((c[q] * 64 + c[q + 1]) * 4194304 + c[q + 2]) * 131072 + c[q + 3] + DAY_OFFSET;
        sums.set(key, (sums.get(key) ?? 0) + sign * c[q + 4]);
      }
    };
    put(removed, -1);
    put(added, 1);
    for (const [key, delta] of sums) {
      if (delta === 0) continue;
      const day = (key % 131072) - DAY_OFFSET;
      const frc = Math.floor(key / 131072);
      const cell = frc % 4194304;
      const fr = Math.floor(frc / 4194304);
      out.push(Math.floor(fr / 64), fr % 64, cell, day, delta);
    }
    return out;
  }
  const sums = new Map<string, number>();
  const put = (c: Contribution, sign: number): void => {
    for (let q = 0; q < c.length; q += 5) {
      const key = `${c[q]},${c[q + 1]},${c[q + 2]},${c[q + 3]}`;
      sums.set(key, (sums.get(key) ?? 0) + sign * c[q + 4]);
    }
  };
  put(removed, -1);
  put(added, 1);
  for (const [key, delta] of sums) {
    if (delta === 0) continue;
    const [f, r, c, day] = key.split(',').map(Number);
    out.push(f, r, c, day, delta);
  }
  return out;
}
