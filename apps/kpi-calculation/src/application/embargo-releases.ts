import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { ceSource, EVENT_TYPES } from '@sozialmonitor/contracts';
import { completedYears, resolvePeriod } from '@sozialmonitor/indicators';
import { deterministicId, EventPublisher } from '@sozialmonitor/messaging';
import { Clock } from '@sozialmonitor/platform';
import { computeIndicatorValues, type ComputedValue } from '../domain/indicator-value-calculator';
import { type Embargo, embargoId, type EmbargoProblem, parseEmbargoRequest } from '../domain/embargo';
import { KpiCalculationEnvironment, SERVICE } from '../kpi-calculation.environment';
import { CatalogueService } from './catalogue.service';
import { Holds } from './holds';
import { LakeEngine } from './lake-engine';
import { Leadership } from './leadership';
import { EmbargoStore } from './ports/embargo.store';
import { RecomputeScheduler } from './recompute-scheduler';
import { ValuePublisher } from './value-publisher';

/** How often the publisher looks for holds whose release time has come. */
const RELEASE_CHECK_MS = 500;
const yieldToEventLoop = () => new Promise<void>((r) => setImmediate(r));

export class EmbargoRefused extends Error {
  constructor(
    readonly status: 404 | 409 | 422,
    message: string,
    readonly problems: readonly EmbargoProblem[] = [],
  ) {
    super(message);
  }
}

/**
 * Scheduled releases (issue #17): an admin holds a year until a time; the publisher (the lease holder)
 * releases it then — computes every active indicator of the year with `computedAt` = the release time,
 * publishes what differs from what was published, announces the release on the control topic (one
 * event, deterministic id) and marks the hold released.
 */
@Injectable()
export class EmbargoReleases implements OnModuleInit, OnModuleDestroy {
  private readonly log = new Logger('EmbargoReleases');
  private timer?: NodeJS.Timeout;
  private releasing?: Promise<void>;

  constructor(
    private readonly store: EmbargoStore,
    private readonly holds: Holds,
    private readonly publisher: ValuePublisher,
    private readonly events: EventPublisher,
    private readonly lake: LakeEngine,
    private readonly catalogue: CatalogueService,
    private readonly leadership: Leadership,
    private readonly scheduler: RecomputeScheduler,
    private readonly clock: Clock,
    private readonly env: KpiCalculationEnvironment,
  ) {}

  onModuleInit(): void {
    this.timer = setInterval(() => {
      this.releasing ??= this.releaseDue()
        .catch((e: Error) => this.log.warn(`release check failed, trying again: ${e.name}: ${e.message}`))
        .finally(() => (this.releasing = undefined));
    }, RELEASE_CHECK_MS);
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.releasing;
  }

  async list(): Promise<Embargo[]> {
    return (await this.store.all()).sort((a, b) => a.period.localeCompare(b.period));
  }

  async hold(actor: string, input: unknown): Promise<Embargo> {
    const now = this.clock.now();
    const parsed = parseEmbargoRequest(input, {
      firstYear: this.env.FIRST_YEAR,
      thisYear: Number(this.clock.todayText().slice(0, 4)),
      now,
    });
    if ('problems' in parsed) throw new EmbargoRefused(422, 'invalid hold', parsed.problems);
    const embargo: Embargo = {
      id: embargoId(parsed.period),
      ...parsed,
      state: 'held',
      createdAt: now.toISOString(),
      createdBy: actor,
    };
    if (!(await this.store.insert(embargo)))
      throw new EmbargoRefused(409, `the year ${parsed.period} has a hold already (one per year)`);
    await this.holds.refresh();
    this.log.log(`${actor} holds the values of ${parsed.period} until ${parsed.releaseAt}`);
    return embargo;
  }

  /** Moves the release time of a held year (e.g. to release earlier); with a reason, as a hold needs one. */
  async reschedule(actor: string, id: string, input: unknown): Promise<Embargo> {
    const embargo = (await this.store.all()).find((e) => e.id === id);
    if (!embargo) throw new EmbargoRefused(404, 'no such hold');
    if (embargo.state !== 'held') throw new EmbargoRefused(409, `the year ${embargo.period} is released already`);
    const parsed = parseEmbargoRequest(input, {
      firstYear: this.env.FIRST_YEAR,
      thisYear: Number(this.clock.todayText().slice(0, 4)),
      now: this.clock.now(),
      period: embargo.period,
    });
    if ('problems' in parsed) throw new EmbargoRefused(422, 'invalid release time', parsed.problems);
    if (!(await this.store.reschedule(id, parsed.releaseAt)))
      throw new EmbargoRefused(409, `the year ${embargo.period} is released already`);
    await this.holds.refresh();
    this.log.log(`${actor} moved the release of ${embargo.period} to ${parsed.releaseAt}: ${parsed.reason}`);
    return { ...embargo, releaseAt: parsed.releaseAt };
  }

  /** The held values of one indicator (computed now, disclosure-controlled, never published): for admins. */
  async heldValues(id: string, indicatorId: string): Promise<ComputedValue['payload'][]> {
    const embargo = (await this.store.all()).find((e) => e.id === id);
    if (!embargo) throw new EmbargoRefused(404, 'no such hold');
    const indicator = this.catalogue.current.current(indicatorId);
    if (!indicator) throw new EmbargoRefused(404, 'unknown indicator');
    return computeIndicatorValues(this.lake.engine, indicator, resolvePeriod(embargo.period), {
      threshold: this.env.SUPPRESSION_THRESHOLD,
      computedAt: this.clock.now().toISOString(),
    }).map((v) => v.payload);
  }

  /** Only the publisher releases, and only once its lake has caught up (its rounds run). */
  private async releaseDue(): Promise<void> {
    if (!this.leadership.isLeader || !this.scheduler.active || !this.lake.ready) return;
    const due = (await this.holds.refresh()).due(this.clock.now());
    for (const embargo of due) await this.release(embargo);
  }

  private async release(embargo: Embargo): Promise<void> {
    const completed = completedYears(this.env.FIRST_YEAR, this.clock.today()).map(String);
    const values: ComputedValue[] = [];
    if (completed.includes(embargo.period)) {
      const period = resolvePeriod(embargo.period);
      for (const indicator of this.catalogue.current.active()) {
        values.push(
          ...computeIndicatorValues(this.lake.engine, indicator, period, {
            threshold: this.env.SUPPRESSION_THRESHOLD,
            computedAt: embargo.releaseAt,
          }),
        );
        await yieldToEventLoop();
      }
    }
    const published = await this.publisher.publishChanged(values, { release: true });
    const releasedAt = this.clock.now().toISOString();
    await this.events.publish([
      {
        topic: this.env.CONTROL_TOPIC,
        key: embargo.id,
        id: deterministicId('values-released', embargo.id, embargo.releaseAt),
        type: EVENT_TYPES.valuesReleased,
        source: ceSource(SERVICE),
        subject: embargo.id,
        time: embargo.releaseAt,
        data: { id: embargo.id, period: embargo.period, releaseAt: embargo.releaseAt, published, reason: embargo.reason },
      },
    ]);
    await this.store.markReleased(embargo.id, releasedAt, published);
    await this.holds.refresh();
    this.log.log(`released the values of ${embargo.period} (${published} published, asOf boundary ${embargo.releaseAt})`);
  }
}
