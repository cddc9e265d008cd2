import { Injectable, Logger } from '@nestjs/common';
import { ChangeSet } from '@sozialmonitor/indicators';
import { computeIndicatorValues, type ComputedValue } from '../domain/indicator-value-calculator';
import { publishedPeriods } from '../domain/period-plan';
import { recomputePlan } from '../domain/recompute-plan';
import { type RecomputeDecision, recomputeDecision, type RoundTrigger } from '../domain/recompute-timing';
import { KpiCalculationEnvironment } from '../kpi-calculation.environment';
import { KpiCalculationMetrics } from './kpi-calculation.metrics';
import { CatalogueService } from './catalogue.service';
import { Clock } from '@sozialmonitor/platform';
import { LakeEngine } from './lake-engine';
import { ValuePublisher } from './value-publisher';

const SLICE_MS = 50;
const RETRY_MS = 2000;
const yieldToEventLoop = () => new Promise<void>((r) => setImmediate(r));

/**
 * Collects what changed (counts, comparison values, catalogue entries, a new day) and recomputes the
 * affected values in rounds, so that a burst of lake batches is computed once: while the lake consumer
 * lags behind the topic end, rounds wait for it (at most RECOMPUTE_MAX_DEFER_MS since the first
 * pending change); once it has caught up, after RECOMPUTE_DELAY_MS without a change. A round never
 * overlaps another; changes during one wait for the next. Only the publisher instance runs rounds.
 */
@Injectable()
export class RecomputeScheduler {
  private readonly log = new Logger('RecomputeScheduler');
  private counts = new ChangeSet();
  private references: Array<{ indicatorId: string; year: number }> = [];
  private indicators = new Set<string>();
  private sources = new Set<string>();
  private everything = false;
  /** performance.now() of the first change not yet in a round, and of the latest change. */
  private firstChangeAt?: number;
  private lastChangeAt = 0;
  private lakeLag = 0;
  private enabled = false;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private idleWaiters: Array<() => void> = [];

  constructor(
    private readonly lake: LakeEngine,
    private readonly catalogue: CatalogueService,
    private readonly publisher: ValuePublisher,
    private readonly clock: Clock,
    private readonly env: KpiCalculationEnvironment,
    private readonly metrics: KpiCalculationMetrics,
  ) {}

  /** Rounds run here (this instance publishes and its lake has caught up). */
  get active(): boolean {
    return this.enabled;
  }

  enable(): void {
    this.enabled = true;
    // Changes noted while disabled (catch-up) were not held back by this scheduler: the bound starts now.
    this.firstChangeAt = this.hasWork() ? performance.now() : undefined;
    this.schedule();
  }

  disable(): void {
    this.enabled = false;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  addChanges(
    counts: ChangeSet,
    references: ReadonlyArray<{ indicatorId: string; year: number }>,
    sources: readonly string[] = [],
  ): void {
    if (counts.isEmpty && references.length === 0 && sources.length === 0) return;
    this.counts.merge(counts);
    this.references.push(...references);
    for (const s of sources) this.sources.add(s);
    this.changed();
  }

  addIndicators(ids: readonly string[]): void {
    for (const id of ids) this.indicators.add(id);
    if (ids.length > 0) this.changed();
  }

  recomputeEverything(): void {
    this.everything = true;
    this.changed();
  }

  /** Messages the lake consumer is behind the end of the lake topic (0 = caught up). */
  setLakeLag(messages: number): void {
    if (messages === this.lakeLag) return;
    this.lakeLag = messages;
    this.schedule();
  }

  /** Resolves when no round runs and nothing waits (tests, shutdown). */
  idle(): Promise<void> {
    if (!this.enabled || (!this.running && !this.timer && !this.hasWork())) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private hasWork(): boolean {
    return (
      this.everything ||
      !this.counts.isEmpty ||
      this.references.length > 0 ||
      this.indicators.size > 0 ||
      this.sources.size > 0
    );
  }

  private changed(): void {
    const now = performance.now();
    this.firstChangeAt ??= now;
    this.lastChangeAt = now;
    this.metrics.recomputePending.set(1);
    this.schedule();
  }

  /** (Re)decides when the next round starts; asked again on every change of the work or the lag. */
  private schedule(): void {
    if (!this.enabled || this.running || !this.hasWork()) return;
    clearTimeout(this.timer);
    const decision = this.decide();
    // Even a round due now starts from a timer, never inside the caller (a consumer's batch handler).
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        const due = this.decide();
        if (due.run) this.start(due.trigger);
        else this.schedule();
      },
      decision.run ? 0 : decision.waitMs,
    );
  }

  private decide(): RecomputeDecision {
    const now = performance.now();
    return recomputeDecision(
      {
        lakeLag: this.lakeLag,
        sinceFirstChangeMs: now - (this.firstChangeAt ?? now),
        sinceLastChangeMs: now - this.lastChangeAt,
      },
      { quietMs: this.env.RECOMPUTE_DELAY_MS, maxDeferMs: this.env.RECOMPUTE_MAX_DEFER_MS },
    );
  }

  private start(trigger: RoundTrigger): void {
    this.metrics.recomputeRounds.inc({ trigger });
    this.running = this.round().finally(() => {
      this.running = undefined;
      if (this.hasWork()) this.schedule();
      else {
        this.metrics.recomputePending.set(0);
        this.notifyIdle();
      }
    });
  }

  private notifyIdle(): void {
    if (this.timer || this.running) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }

  private async round(): Promise<void> {
    const pending = {
      counts: this.counts,
      references: this.references,
      indicators: this.indicators,
      sources: this.sources,
      everything: this.everything,
    };
    const firstChangeAt = this.firstChangeAt;
    this.firstChangeAt = undefined;
    this.counts = new ChangeSet();
    this.references = [];
    this.indicators = new Set();
    this.sources = new Set();
    this.everything = false;
    const end = this.metrics.recomputeSeconds.startTimer();
    try {
      const tasks = recomputePlan(
        this.catalogue.current.active(),
        publishedPeriods(this.env.FIRST_YEAR, this.clock.today()),
        pending,
      );
      const computedAt = this.clock.now().toISOString();
      // `current` first, published on its own: the value readers look at most changes soonest.
      const phases = [
        tasks.filter((t) => t.period.kind === 'current'),
        tasks.filter((t) => t.period.kind !== 'current'),
      ];
      let computed = 0;
      let published = 0;
      let sliceStart = Date.now();
      // where a round's time goes (computing, then publishing), per phase, for the log line below
      const spent: string[] = [];
      for (const [i, phase] of phases.entries()) {
        if (phase.length === 0) continue;
        const t0 = performance.now();
        const values: ComputedValue[] = [];
        for (const task of phase) {
          values.push(
            ...computeIndicatorValues(this.lake.engine, task.indicator, task.period, {
              threshold: this.env.SUPPRESSION_THRESHOLD,
              computedAt,
            }),
          );
          if (Date.now() - sliceStart > SLICE_MS) {
            await yieldToEventLoop(); // keep heartbeats and HTTP answers flowing
            sliceStart = Date.now();
          }
        }
        computed += values.length;
        const t1 = performance.now();
        published += await this.publisher.publishChanged(values);
        spent.push(`${i === 0 ? 'current' : 'other periods'}: computed in ${Math.round(t1 - t0)} ms, published in ${Math.round(performance.now() - t1)} ms`);
      }
      if (published > 0 || tasks.length > 500)
        this.log.log(
          `recomputed ${computed} values (${tasks.length} indicator-periods), published ${published} (${spent.join('; ')})`,
        );
    } catch (e) {
      // Keep the work for the next round (MongoDB or Kafka unavailable); nothing is lost.
      this.counts.merge(pending.counts);
      this.references.push(...pending.references);
      for (const id of pending.indicators) this.indicators.add(id);
      for (const s of pending.sources) this.sources.add(s);
      this.everything ||= pending.everything;
      this.firstChangeAt = Math.min(firstChangeAt ?? performance.now(), this.firstChangeAt ?? Infinity);
      this.log.warn(`recomputation failed, retrying in ${RETRY_MS} ms: ${(e as Error).name}: ${(e as Error).message}`);
      await new Promise((r) => setTimeout(r, RETRY_MS));
    } finally {
      end();
    }
  }
}
