import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { ceSource, EVENT_TYPES } from '@sozialmonitor/contracts';
import { completedYears, resolvePeriod } from '@sozialmonitor/indicators';
import { deterministicId, EventPublisher } from '@sozialmonitor/messaging';
import { Clock } from '@sozialmonitor/platform';
import { computeIndicatorValues, type ComputedValue } from '../domain/indicator-value-calculator';
import { type Embargo, embargoId, type EmbargoProblem, parseEmbargoRequest, parseReleaseTime } from '../domain/embargo';
import { publishedPeriods } from '../domain/period-plan';
import { KpiCalculationEnvironment, SERVICE } from '../kpi-calculation.environment';
import { CatalogueService } from './catalogue.service';
import { Holds } from './holds';
import { LakeEngine } from './lake-engine';
import { Leadership } from './leadership';
import { CatalogueLog } from './ports/catalogue-log';
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
 * Scheduled releases (issue #17): an admin holds a year (or a new catalogue version, placed by
 * CatalogueAdministration at its activation) until a time; the publisher (the lease holder) releases it
 * then — computes every held value (every active indicator of the year; every published period of the
 * indicators the version brings) with `computedAt` = the release time,
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
    private readonly catalogueLog: CatalogueLog,
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
    return (await this.store.all()).sort((a, b) => a.id.localeCompare(b.id));
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

  /**
   * Moves the release time of a held year or catalogue version (e.g. to release earlier); with a
   * reason, as a hold needs one. A catalogue version's message on the catalogue topic is written again
   * with the new time: publication describes the version from then on.
   */
  async reschedule(actor: string, id: string, input: unknown): Promise<Embargo> {
    const embargo = (await this.store.all()).find((e) => e.id === id);
    if (!embargo) throw new EmbargoRefused(404, 'no such hold');
    const what = embargo.catalogueVersion ? `catalogue version ${embargo.catalogueVersion}` : `the year ${embargo.period}`;
    if (embargo.state !== 'held') throw new EmbargoRefused(409, `${what} is released already`);
    const body = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
    const time = parseReleaseTime(body.releaseAt, this.clock.now());
    const problems = 'problem' in time ? [time.problem] : [];
    if (typeof body.reason !== 'string' || body.reason.trim() === '')
      problems.push({ field: 'reason', message: 'must be a non-empty string (why the values are held)' });
    if (problems.length || !('releaseAt' in time)) throw new EmbargoRefused(422, 'invalid release time', problems);
    if (!(await this.store.reschedule(id, time.releaseAt))) throw new EmbargoRefused(409, `${what} is released already`);
    if (embargo.catalogueVersion) {
      const version = this.catalogueLog.history().get(embargo.catalogueVersion);
      if (version) {
        const { catalogue: _catalogue, ...message } = version;
        await this.catalogueLog.appendVersion({ ...message, releaseAt: time.releaseAt });
      }
    }
    await this.holds.refresh();
    this.log.log(`${actor} moved the release of ${what} to ${time.releaseAt}: ${(body.reason as string).trim()}`);
    return { ...embargo, releaseAt: time.releaseAt };
  }

  /**
   * The held values of one indicator (computed now, disclosure-controlled, never published): for admins
   * and analysts. A year: that year; a catalogue version: every published period of an indicator it holds.
   */
  async heldValues(id: string, indicatorId: string): Promise<ComputedValue['payload'][]> {
    const embargo = (await this.store.all()).find((e) => e.id === id);
    if (!embargo) throw new EmbargoRefused(404, 'no such hold');
    const indicator = this.catalogue.current.current(indicatorId);
    if (!indicator || (embargo.indicators && !embargo.indicators.includes(indicatorId)))
      throw new EmbargoRefused(404, embargo.indicators ? `the hold ${id} holds no indicator '${indicatorId}'` : 'unknown indicator');
    const periods = embargo.indicators ? publishedPeriods(this.env.FIRST_YEAR, this.clock.today()) : [resolvePeriod(embargo.period)];
    const computedAt = this.clock.now().toISOString();
    return periods.flatMap((period) =>
      computeIndicatorValues(this.lake.engine, indicator, period, { threshold: this.env.SUPPRESSION_THRESHOLD, computedAt }).map(
        (v) => v.payload,
      ),
    );
  }

  /** Only the publisher releases, and only once its lake has caught up (its rounds run). */
  private async releaseDue(): Promise<void> {
    if (!this.leadership.isLeader || !this.scheduler.active || !this.lake.ready) return;
    const due = (await this.holds.refresh()).due(this.clock.now());
    for (const embargo of due) await this.release(embargo);
  }

  /** What a release computes: every active indicator of a held year; every published period of the indicators a held version brings. */
  private releasePlan(embargo: Embargo) {
    const active = this.catalogue.current.active();
    if (embargo.indicators) {
      const held = new Set(embargo.indicators);
      return { indicators: active.filter((i) => held.has(i.id)), periods: publishedPeriods(this.env.FIRST_YEAR, this.clock.today()) };
    }
    const completed = completedYears(this.env.FIRST_YEAR, this.clock.today()).map(String);
    return { indicators: active, periods: completed.includes(embargo.period) ? [resolvePeriod(embargo.period)] : [] };
  }

  private async release(embargo: Embargo): Promise<void> {
    const plan = this.releasePlan(embargo);
    const values: ComputedValue[] = [];
    for (const period of plan.periods)
      for (const indicator of plan.indicators) {
        values.push(
          ...computeIndicatorValues(this.lake.engine, indicator, period, {
            threshold: this.env.SUPPRESSION_THRESHOLD,
            computedAt: embargo.releaseAt,
          }),
        );
        await yieldToEventLoop();
      }
    const published = await this.publisher.publishChanged(values, { release: embargo.id });
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
        data: {
          id: embargo.id,
          ...(embargo.catalogueVersion
            ? { catalogueVersion: embargo.catalogueVersion, indicators: embargo.indicators }
            : { period: embargo.period }),
          releaseAt: embargo.releaseAt,
          published,
          reason: embargo.reason,
        },
      },
    ]);
    await this.store.markReleased(embargo.id, releasedAt, published);
    await this.holds.refresh();
    const what = embargo.catalogueVersion ? `catalogue version ${embargo.catalogueVersion}` : embargo.period;
    this.log.log(`released the values of ${what} (${published} published, asOf boundary ${embargo.releaseAt})`);
  }
}
