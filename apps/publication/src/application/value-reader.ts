import { Injectable, Logger } from '@nestjs/common';
import { kpiValueKey } from '@sozialmonitor/contracts';
import { isDependencyFailure } from '@sozialmonitor/messaging';
import { problem } from '@sozialmonitor/platform';
import { computedRegions } from '@sozialmonitor/regions';
import { Catalogue } from '@sozialmonitor/indicators/catalogue';
import { CatalogueTimeline } from './ports/catalogue-timeline';
import { type CacheEntryPlan, onDemandPlan, profilePlan, slicePlan } from '../domain/cache-plan';
import { toPublishedForm } from '../domain/published-value';
import { SingleFlight } from '../domain/single-flight';
import { recordOfPayload, recordOfState, type ValueRecord } from '../domain/value-record';
import {
  StichtagIndicatorUnknownError,
  StichtagSourceUnavailableError,
  StichtagValuesSource,
} from './ports/stichtag-values.source';
import { AnswerCache } from './ports/answer-cache';
import { PublicationEnvironment } from '../publication.environment';
import { ReadEpoch } from './read-epoch';
import { ReadModel } from './read-model';

/** Where an answer came from: every part from Redis, some computed, or Redis not used at all. */
export type CacheOutcome = 'hit' | 'miss' | 'bypass';

export interface Records {
  readonly records: ValueRecord[];
  readonly cache: CacheOutcome;
}

const REGION_ORDER = new Map(computedRegions().map((r, i) => [r.code, i]));
const byRegion = (a: ValueRecord, b: ValueRecord) =>
  (REGION_ORDER.get(a.regionCode) ?? 99) - (REGION_ORDER.get(b.regionCode) ?? 99);

/** How many indicators of an on-demand profile are asked for at the same time. */
const ON_DEMAND_PARALLEL = 4;

/**
 * Reads published values for the API: from the Redis cache when it answers, otherwise from MongoDB (or,
 * for on-demand Stichtage, from the kpi-calculation service), computing each missing entry once however
 * many requests wait for it.
 */
@Injectable()
export class ValueReader {
  private readonly log = new Logger('ValueReader');
  private readonly flights = new SingleFlight<unknown>();
  private readonly ttl: number;
  private readonly stichtagTtl: number;

  constructor(
    private readonly values: ReadModel,
    private readonly cache: AnswerCache,
    private readonly epoch: ReadEpoch,
    private readonly catalogue: Catalogue,
    private readonly versions: CatalogueTimeline,
    private readonly stichtage: StichtagValuesSource,
    env: PublicationEnvironment,
  ) {
    this.ttl = env.PUBLICATION_CACHE_TTL_SECONDS;
    this.stichtagTtl = env.PUBLICATION_STICHTAG_TTL_SECONDS;
  }

  /** Current values of one indicator for stored periods, in period order, then region order. */
  async storedValues(indicatorId: string, periods: readonly string[], regions: ReadonlySet<string>): Promise<Records> {
    const { values, cache } = await this.cached(
      periods.map((p) => slicePlan(indicatorId, p)),
      (i) => this.readModel(() => this.values.slice(indicatorId, periods[i]).map(recordOfState).sort(byRegion)),
      this.ttl,
    );
    return { records: values.flat().filter((r) => regions.has(r.regionCode)), cache };
  }

  /**
   * A version of what `storedValues` would answer for these periods now (the stamps of their cache
   * entries, one small round trip), or null when the cache cannot tell. Equal versions, equal values:
   * the HTTP layer serves bytes it prepared for the same version without reading the values again.
   */
  async storedVersion(indicatorId: string, periods: readonly string[]): Promise<string | null> {
    const stamps = await this.cache.stamps(periods.map((p) => slicePlan(indicatorId, p)));
    return stamps ? stamps.join('|') : null;
  }

  /** Values of one indicator at an on-demand Stichtag (kpi-calculation), every region, cached. */
  async onDemandValues(indicatorId: string, date: string, regions: ReadonlySet<string>): Promise<Records> {
    const { values, cache } = await this.cached(
      [onDemandPlan(indicatorId, date)],
      () => this.fetchStichtag(indicatorId, date),
      this.stichtagTtl,
    );
    return { records: values[0].filter((r) => regions.has(r.regionCode)), cache };
  }

  /** Values as they were published at `asOf` (from the history; not cached). */
  async asOfValues(
    indicatorId: string,
    periods: readonly string[],
    regions: ReadonlySet<string>,
    asOf: string,
  ): Promise<Records> {
    const keys = periods.flatMap((period) =>
      [...regions].map((code) => kpiValueKey({ indicatorId, period, region: { code } })),
    );
    const states = await this.readModel(() => this.values.statesAt(keys, asOf));
    const order = new Map(periods.map((p, i) => [p, i]));
    const records = states
      .filter((s) => regions.has(s.regionCode))
      .map(recordOfState)
      .sort((a, b) => order.get(a.period)! - order.get(b.period)! || byRegion(a, b));
    return { records, cache: 'bypass' };
  }

  /** Every indicator's current value for one region and stored period, in catalogue order. */
  async storedProfile(regionCode: string, period: string): Promise<Records> {
    const { values, cache } = await this.cached(
      [profilePlan(regionCode, period)],
      () => this.readModel(() => this.inCatalogueOrder(this.values.profile(regionCode, period).map(recordOfState))),
      this.ttl,
    );
    return { records: values[0], cache };
  }

  /** Every indicator of the catalogue active at `asOf` (and of the one in use) as published then. */
  async asOfProfile(regionCode: string, period: string, asOf: string): Promise<Records> {
    const ids = new Set([...this.versions.at(asOf).allIds(), ...this.catalogue.allIds()]);
    const states = await this.readModel(() =>
      this.values.statesAt([...ids].map((id) => kpiValueKey({ indicatorId: id, period, region: { code: regionCode } })), asOf),
    );
    return { records: this.inCatalogueOrder(states.map(recordOfState)), cache: 'bypass' };
  }

  /** Every active indicator at an on-demand Stichtag for one region (one cached entry per indicator). */
  async onDemandProfile(regionCode: string, date: string): Promise<Records> {
    const ids = this.catalogue.activeIds();
    const parts: Records[] = new Array(ids.length);
    let next = 0;
    const worker = async () => {
      while (next < ids.length) {
        const i = next++;
        parts[i] = await this.onDemandValues(ids[i], date, new Set([regionCode]));
      }
    };
    await Promise.all(Array.from({ length: ON_DEMAND_PARALLEL }, worker));
    const outcomes = new Set(parts.map((p) => p.cache));
    return {
      records: parts.flatMap((p) => p.records),
      cache: outcomes.size === 1 ? [...outcomes][0] : outcomes.has('bypass') ? 'bypass' : 'miss',
    };
  }

  private inCatalogueOrder(records: ValueRecord[]): ValueRecord[] {
    const order = new Map(this.catalogue.allIds().map((id, i) => [id, i]));
    return records.sort(
      (a, b) =>
        (order.get(a.indicatorId) ?? 1e6) - (order.get(b.indicatorId) ?? 1e6) ||
        (a.indicatorId < b.indicatorId ? -1 : 1),
    );
  }

  /**
   * Looks the entries up in one round trip; each missing one is computed once (per key and stamp, so a
   * request after an invalidation never joins a computation from before it) and stored.
   */
  private async cached<T>(
    plans: readonly CacheEntryPlan[],
    compute: (index: number) => Promise<T>,
    ttl: number,
  ): Promise<{ values: T[]; cache: CacheOutcome }> {
    const looked = await this.cache.lookup<T>(plans);
    const values = await Promise.all(
      plans.map(async (plan, i) => {
        const found = looked?.[i];
        if (found?.hit) return found.value;
        const flight = found ? `${plan.key}@${found.stamp}` : `${plan.key}#${this.epoch.current}`;
        return (await this.flights.run(flight, async () => {
          const value = await compute(i);
          // Awaited inside the flight: a request arriving after the computation but before the entry is
          // in Redis would otherwise miss both and compute again.
          if (found) await this.cache.store(plan, found.stamp, value, ttl);
          return value;
        })) as T;
      }),
    );
    const cache: CacheOutcome = looked === null ? 'bypass' : looked.every((l) => l.hit) ? 'hit' : 'miss';
    return { values, cache };
  }

  /** The read model not loaded yet (MongoDB unreachable at start): 503. */
  private async readModel<T>(work: () => Promise<T> | T): Promise<T> {
    try {
      return await work();
    } catch (e) {
      if (isDependencyFailure(e))
        throw problem(503, 'Service Unavailable', 'the read model is not available at the moment; try again shortly');
      throw e;
    }
  }

  private async fetchStichtag(indicatorId: string, date: string): Promise<ValueRecord[]> {
    let raw: unknown[];
    try {
      raw = await this.stichtage.valuesAt(indicatorId, date);
    } catch (e) {
      if (e instanceof StichtagIndicatorUnknownError) return [];
      if (e instanceof StichtagSourceUnavailableError) {
        throw problem(
          503,
          'Service Unavailable',
          'values for this Stichtag cannot be computed at the moment; try again shortly',
        );
      }
      throw e;
    }
    const records: ValueRecord[] = [];
    let invalid = 0;
    for (const item of raw) {
      try {
        const p = toPublishedForm(item, date);
        if (p.indicatorId === indicatorId) records.push(recordOfPayload(p));
      } catch {
        invalid++;
      }
    }
    if (invalid)
      this.log.warn(
        `kpi-calculation answered ${invalid} invalid values for ${indicatorId} at a Stichtag; they were left out`,
      );
    return records.sort(byRegion);
  }
}
