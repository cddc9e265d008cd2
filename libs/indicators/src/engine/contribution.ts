import type { EventFamily, SubjectKind } from '../measures/measure-registry';
import { OPEN_END } from '../time/day';
import type { FamilyStore } from './family-store';
import type { Spell } from './spell';

/**
 * A subject's contribution: flat quintuples `(family, region, cell, day, delta)`. For state families
 * +1 where a validity interval of the subject starts and −1 where it ends, per region (the
 * municipality, and the county); for event families +1 per counted spell start/end.
 */
export type Contribution = number[];

export interface ContributionContext {
  /** Stores of the families of the subject's kind, in `kind.families` order. */
  readonly stores: readonly FamilyStore[];
  regionId(code: string): number;
  readonly countyRegion: number;
}

/** Spells are compared by this order: later validFrom wins, then the greater record key. */
function wins(a: Spell, b: Spell): boolean {
  return a.from !== b.from ? a.from > b.from : a.recordKey > b.recordKey;
}

/**
 * Splits the union of the spells' validity intervals into segments with one representative spell each
 * (the valid spell with the latest validFrom, ties by record key) and returns `[cell, start, end]`
 * triples, adjacent equal cells merged. So a subject counts at most once per region and day, with the
 * attributes of its most recent spell.
 */
function segments(spells: readonly Spell[], cells: readonly number[], members: readonly number[]): number[] {
  if (members.length === 1) {
    const i = members[0];
    return [cells[i], spells[i].from, spells[i].to];
  }
  const bounds = new Set<number>();
  for (const i of members) {
    bounds.add(spells[i].from);
    if (spells[i].to !== OPEN_END) bounds.add(spells[i].to);
  }
  const points = [...bounds].sort((a, b) => a - b);
  const out: number[] = [];
  for (let k = 0; k < points.length; k++) {
    const start = points[k];
    const end = k + 1 < points.length ? points[k + 1] : OPEN_END;
    let rep = -1;
    for (const i of members) {
      const s = spells[i];
      if (s.from <= start && start < s.to && (rep < 0 || wins(s, spells[rep]))) rep = i;
    }
    if (rep < 0) continue;
    const n = out.length;
    if (n > 0 && out[n - 3] === cells[rep] && out[n - 1] === start) out[n - 1] = end;
    else out.push(cells[rep], start, end);
  }
  return out;
}

/**
 * Moves inside the county (indicators.md): a `move_in` spell whose person ends a population spell in
 * another municipality of the county with `move_out` on the same date. Returns the move-in spells
 * and the move-out spells of such pairs (matched one to one, in record-key order). A spell can be
 * the move-in side of one pair and the move-out side of another, so the roles are kept apart.
 */
export function internalMoves(spells: readonly Spell[]): { ins: Set<number>; outs: Set<number> } {
  const ins = new Set<number>();
  const outs = new Set<number>();
  for (let i = 0; i < spells.length; i++) {
    const s = spells[i];
    if (s.startReason !== 'move_in') continue;
    for (let j = 0; j < spells.length; j++) {
      const o = spells[j];
      if (j !== i && !outs.has(j) && o.endReason === 'move_out' && o.to === s.from && o.ags !== s.ags) {
        ins.add(i);
        outs.add(j);
        break;
      }
    }
  }
  return { ins, outs };
}

/** The contribution of one subject; `spells` must be sorted by record key. */
export function contributionOf(kind: SubjectKind, spells: readonly Spell[], ctx: ContributionContext): Contribution {
  const out: Contribution = [];
  if (spells.length === 0) return out;
  if (spells.length === 1) {
    singleSpellContribution(kind, spells[0], ctx, out);
    return out;
  }
  const regionOf = spells.map((s) => ctx.regionId(s.ags));
  let internal: { ins: Set<number>; outs: Set<number> } | null = null;
  for (let k = 0; k < kind.families.length; k++) {
    const family = kind.families[k];
    const store = ctx.stores[k];
    const f = store.index;
    if (family.kind === 'state') {
      const cells = spells.map((s) => store.cellOf(s));
      const groups = new Map<number, number[]>();
      for (let i = 0; i < spells.length; i++) {
        const g = groups.get(regionOf[i]);
        if (g) g.push(i);
        else groups.set(regionOf[i], [i]);
      }
      // Every municipality is in the county: its group is all spells.
      groups.set(
        ctx.countyRegion,
        spells.map((_, i) => i),
      );
      for (const [region, members] of groups) {
        const segs = segments(spells, cells, members);
        for (let q = 0; q < segs.length; q += 3) {
          out.push(f, region, segs[q], segs[q + 1], 1);
          if (segs[q + 2] !== OPEN_END) out.push(f, region, segs[q], segs[q + 2], -1);
        }
      }
      continue;
    }
    if (family.countyExcludesInternalMoves && internal === null) internal = internalMoves(spells);
    const excluded = family.countyExcludesInternalMoves
      ? family.edge === 'start'
        ? internal!.ins
        : internal!.outs
      : null;
    for (let i = 0; i < spells.length; i++) {
      const s = spells[i];
      const day = eventDay(family, s);
      if (day === null) continue;
      const cell = store.cellOf(s);
      out.push(f, regionOf[i], cell, day, 1);
      if (excluded === null || !excluded.has(i)) out.push(f, ctx.countyRegion, cell, day, 1);
    }
  }
  return out;
}

/** The day a spell counts as an event of the family, or null when it is none. */
function eventDay(family: EventFamily, s: Spell): number | null {
  const reason = family.edge === 'start' ? s.startReason : s.endReason;
  if (reason === null || !family.reasons.includes(reason)) return null;
  const day = family.edge === 'start' ? s.from : s.to;
  return day === OPEN_END ? null : day;
}

/**
 * The common case without allocations beyond the output: one spell, one interval in its
 * municipality and one in the county; no internal move is possible.
 */
function singleSpellContribution(kind: SubjectKind, s: Spell, ctx: ContributionContext, out: Contribution): void {
  const region = ctx.regionId(s.ags);
  const county = ctx.countyRegion;
  for (let k = 0; k < kind.families.length; k++) {
    const family = kind.families[k];
    const store = ctx.stores[k];
    const f = store.index;
    if (family.kind === 'state') {
      const cell = store.cellOf(s);
      // Pairs (+1 start, −1 end) per region, adjacent: ChangeSet tracking relies on it.
      out.push(f, region, cell, s.from, 1);
      if (s.to !== OPEN_END) out.push(f, region, cell, s.to, -1);
      out.push(f, county, cell, s.from, 1);
      if (s.to !== OPEN_END) out.push(f, county, cell, s.to, -1);
      continue;
    }
    const day = eventDay(family, s);
    if (day === null) continue;
    const cell = store.cellOf(s);
    out.push(f, region, cell, day, 1, f, county, cell, day, 1);
  }
}
