import { parseDay } from '@sozialmonitor/indicators';
import type { KpiCalculationEnvironment } from '../kpi-calculation.environment';
import { KpiCalculationMetrics } from './kpi-calculation.metrics';
import type { CatalogueService } from './catalogue.service';
import type { Clock } from '@sozialmonitor/platform';
import type { LakeEngine } from './lake-engine';
import { RecomputeScheduler } from './recompute-scheduler';
import type { ValuePublisher } from './value-publisher';

// The scheduler's wiring of recomputeDecision on fake timers: rounds are counted by how often a round
// reads the catalogue (an empty one, so a round has nothing to compute).
describe('RecomputeScheduler', () => {
  let rounds: jest.Mock;
  let scheduler: RecomputeScheduler;
  const metrics = new KpiCalculationMetrics();
  const pending = async () => (await metrics.recomputePending.get()).values[0]?.value;

  beforeEach(() => {
    jest.useFakeTimers();
    rounds = jest.fn(() => []);
    const env = {
      RECOMPUTE_DELAY_MS: 100,
      RECOMPUTE_MAX_DEFER_MS: 10_000,
      FIRST_YEAR: 2023,
      SUPPRESSION_THRESHOLD: 3,
    } as KpiCalculationEnvironment;
    scheduler = new RecomputeScheduler(
      {} as LakeEngine,
      { current: { active: rounds } } as unknown as CatalogueService,
      { publishChanged: async () => 0 } as unknown as ValuePublisher,
      { today: () => parseDay('2024-06-30'), now: () => new Date() } as Clock,
      env,
      metrics,
    );
    scheduler.enable();
  });

  afterEach(() => {
    scheduler.disable();
    jest.useRealTimers();
  });

  const advance = (ms: number) => jest.advanceTimersByTimeAsync(ms);
  /** Rounds started so far, after `ms` more milliseconds. */
  const roundsAfter = async (ms: number) => {
    await advance(ms);
    return rounds.mock.calls.length;
  };

  it('caught up: one round after the quiet time without a change', async () => {
    scheduler.addIndicators(['a']);
    await advance(60);
    scheduler.addIndicators(['b']); // the quiet time starts again
    expect(await roundsAfter(60)).toBe(0);
    expect(await roundsAfter(50)).toBe(1);
    expect(await roundsAfter(1000)).toBe(1);
  });

  it('lagging: waits for the lake consumer to catch up, then for the quiet time', async () => {
    scheduler.setLakeLag(5000);
    for (let i = 0; i < 20; i++) {
      scheduler.addIndicators([`i${i}`]);
      await advance(300); // gaps longer than the quiet time
    }
    scheduler.addIndicators(['last']); // the last batch, then the consumer has caught up
    scheduler.setLakeLag(0);
    expect(rounds).toHaveBeenCalledTimes(0);
    expect(await roundsAfter(99)).toBe(0);
    expect(await roundsAfter(1)).toBe(1);
  });

  it('lagging forever: a round at the latest RECOMPUTE_MAX_DEFER_MS after the first pending change', async () => {
    scheduler.setLakeLag(1);
    scheduler.addIndicators(['a']);
    expect(await roundsAfter(9_999)).toBe(0);
    expect(await roundsAfter(1)).toBe(1);
    // the next round's bound counts from its own first change
    await advance(5_000);
    scheduler.addIndicators(['b']);
    expect(await roundsAfter(9_999)).toBe(1);
    expect(await roundsAfter(1)).toBe(2);
  });

  it('an endless stream of changes closer together than the quiet time still gets rounds', async () => {
    for (let t = 0; t < 25_000; t += 50) {
      scheduler.addIndicators([`i${t}`]);
      await advance(50);
    }
    expect(rounds).toHaveBeenCalledTimes(2);
  });

  it('idle() and the pending gauge: done once the deferred round has run', async () => {
    scheduler.setLakeLag(10);
    scheduler.recomputeEverything();
    let idle = false;
    void scheduler.idle().then(() => (idle = true));
    await advance(500);
    expect(idle).toBe(false);
    expect(await pending()).toBe(1);
    scheduler.setLakeLag(0);
    expect(await roundsAfter(100)).toBe(1);
    expect(idle).toBe(true);
    expect(await pending()).toBe(0);
  });
});
