import { MUNICIPALITIES } from '@sozialmonitor/regions';
import { type Day, yearEnd, yearOf } from './dates';
import { HouseholdSimulation, type SimulationContext } from './household-simulation';
import type { Arrival } from './household-composition';
import type { SimUnit } from './model';
import { immigrationShareOfArrivals } from './nationalities';
import { municipalityTarget } from './population-targets';
import type { Random } from './random';

/**
 * Steers the synthetic county along its population path while streaming one household unit at a
 * time. Phase 0 creates the residents at `from`; phase k adds households arriving between
 * checkpoint k−1 and checkpoint k (year ends, then today) in each municipality until the
 * municipality's residents at checkpoint k reach their target. Each unit is simulated to the end at
 * once, so only counts per municipality and checkpoint are kept — never the records.
 */
export interface CountySimulationSettings {
  scale: number;
  from: Day;
  today: Day;
}

export interface UnitProgress {
  phase: number;
  phases: number;
  municipalityIndex: number;
  /** Share of the whole work done before this municipality's part of the phase (0…1). */
  done: number;
}

/** Arrivals between two checkpoints are a few percent of the residents: the work of a later phase. */
const ARRIVAL_WORK_SHARE = 0.08;

export class CountySimulation {
  /** Day 0 is `from` (the initial population), then every year end before today, then today. */
  readonly checkpoints: readonly Day[];
  /** Residents per municipality and checkpoint, counted from the simulated segments. */
  readonly residents = new Map<string, number[]>();
  private readonly households: HouseholdSimulation;

  constructor(
    private readonly settings: CountySimulationSettings,
    private readonly ctx: SimulationContext,
    private readonly arrivals: Random,
  ) {
    this.checkpoints = checkpointsBetween(settings.from, settings.today);
    for (const m of MUNICIPALITIES) this.residents.set(m.ags, new Array<number>(this.checkpoints.length).fill(0));
    this.households = new HouseholdSimulation(ctx);
  }

  get phases(): number {
    return this.checkpoints.length;
  }

  /** The units in generation order; `onProgress` is told when a municipality's part of a phase starts. */
  *units(onProgress?: (p: UnitProgress) => void): Generator<SimUnit> {
    const { scale } = this.settings;
    // Progress is weighted by the expected number of people created in each municipality and phase.
    const work = this.checkpoints.map((day, phase) =>
      MUNICIPALITIES.map((m) => municipalityTarget(m, day, 1) * (phase === 0 ? 1 : ARRIVAL_WORK_SHARE)),
    );
    const totalWork = work.flat().reduce((s, w) => s + w, 0);
    let doneWork = 0;
    for (let phase = 0; phase < this.checkpoints.length; phase++) {
      const checkpoint = this.checkpoints[phase];
      const windowStart = phase === 0 ? checkpoint : this.checkpoints[phase - 1] + 1;
      for (let i = 0; i < MUNICIPALITIES.length; i++) {
        const m = MUNICIPALITIES[i];
        onProgress?.({ phase, phases: this.checkpoints.length, municipalityIndex: i, done: doneWork / totalWork });
        doneWork += work[phase][i];
        const target = municipalityTarget(m, checkpoint, scale);
        const counts = this.residents.get(m.ags)!;
        // Stop once the next household would more likely overshoot than not (households average about two
        // people) — but give every municipality residents, even at tiny scales.
        while (counts[phase] < Math.max(target - 1, 0.5)) {
          const day =
            phase === 0 ? checkpoint : windowStart + Math.floor(this.arrivals.next() * (checkpoint - windowStart + 1));
          const arrival: Arrival =
            phase === 0
              ? 'initial'
              : this.arrivals.chance(immigrationShareOfArrivals(yearOf(day)))
                ? 'immigration'
                : 'move_in';
          const unit = this.households.simulate({ ags: m.ags, day, arrival });
          this.count(unit);
          yield unit;
        }
      }
    }
  }

  private count(unit: SimUnit): void {
    const cps = this.checkpoints;
    for (const p of unit.persons) {
      for (const s of p.segments) {
        const counts = this.residents.get(s.stay.ags)!;
        let k = lowerBound(cps, s.from);
        while (k < cps.length && (s.to === null || cps[k] < s.to)) counts[k++]++;
      }
    }
  }
}

/** `from`, every year end after it and before `today`, and `today`. */
export function checkpointsBetween(from: Day, today: Day): Day[] {
  const out: Day[] = [from];
  for (let y = yearOf(from); yearEnd(y) < today; y++) if (yearEnd(y) > from) out.push(yearEnd(y));
  if (today > from) out.push(today);
  return out;
}

function lowerBound(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
