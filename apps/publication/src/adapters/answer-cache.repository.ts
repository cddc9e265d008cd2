import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { REDIS, singletonMetric } from '@sozialmonitor/platform';
import type Redis from 'ioredis';
import { Counter } from 'prom-client';
import { AnswerCache, type CacheLookup } from '../application/ports/answer-cache';
import { type CacheEntryPlan, GENERATION } from '../domain/cache-plan';
import { PublicationEnvironment } from '../publication.environment';
import { withTimeout } from '@sozialmonitor/messaging';

/** How long the cache is skipped after a failed lookup: a hanging Redis costs one request 300 ms, not every one. */
const LOOKUP_COOL_DOWN_MS = 1000;
/** A generation bump that gets no answer is given up and tried again. */
const BUMP_TIMEOUT_MS = 1000;


const cacheRequests = singletonMetric(
  'sozialmonitor_cache_requests_total',
  () =>
    new Counter({
      name: 'sozialmonitor_cache_requests_total',
      help: 'Cache lookups of the publication API by result',
      labelNames: ['result'],
    }),
);
const cacheFailures = singletonMetric(
  'sozialmonitor_cache_failures_total',
  () =>
    new Counter({
      name: 'sozialmonitor_cache_failures_total',
      help: 'Redis commands of the publication cache that failed',
      labelNames: ['operation'],
    }),
);
const generationBumps = singletonMetric(
  'sozialmonitor_cache_generation_bumps_total',
  () =>
    new Counter({
      name: 'sozialmonitor_cache_generation_bumps_total',
      help: 'Times the publication cache retired every entry (after Redis was unreachable)',
    }),
);

/**
 * Answers cached in Redis (the only code that talks to the cache keys). Every entry is stored with a
 * stamp — the values of the counters it depends on when its computation started — and is served only
 * while those counters still have these values. A KPI event bumps the counters of exactly the entries it
 * affects, so a computation that raced with the event can never put a stale answer back.
 *
 * Redis down: `lookup` answers null at once (the caller reads MongoDB), writes are skipped. Invalidations
 * that could not be made may leave stale entries in a Redis that survived; so after any failed
 * invalidation and after every (re)connect, the cache is not used again before the generation counter —
 * the first counter of every stamp — was bumped, which retires every older entry at once.
 */
@Injectable()
export class AnswerCacheRepository implements AnswerCache, OnApplicationShutdown {
  private readonly log = new Logger('AnswerCache');
  private readonly prefix: string;
  /**
   * Entries may be stale while `staleSince` is ahead of `bumpedFor`: every failed invalidation and every
   * lost connection counts up `staleSince`; a generation bump started after it catches up.
   */
  private staleSince = 1;
  private bumpedFor = 0;
  private bumpInFlight = false;
  /** After a lookup timed out (a Redis that hangs rather than closes), skip the cache for a moment. */
  private coolDownUntil = 0;
  private retryTimer?: NodeJS.Timeout;
  private closed = false;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    env: PublicationEnvironment,
  ) {
    this.prefix = `${env.PUBLICATION_CACHE_PREFIX}:`;
    redis.on('ready', () => {
      this.staleSince++;
      void this.bumpGeneration(); // never rejects: counts a failure and schedules the next try
    });
    redis.on('close', () => {
      this.staleSince++;
    });
    if (redis.status === 'ready') void this.bumpGeneration();
  }

  /** Whether lookups go to Redis right now. */
  get usable(): boolean {
    // a safety net: whatever left the cache stale, a bump is under way while Redis answers
    if (this.bumpedFor !== this.staleSince && this.redis.status === 'ready' && !this.bumpInFlight) this.scheduleBump();
    return this.bumpedFor === this.staleSince && this.redis.status === 'ready' && Date.now() >= this.coolDownUntil;
  }

  /**
   * One round trip for several entries. Null when the cache cannot be used now: the caller computes
   * every entry itself and does not store it.
   */
  async lookup<T>(plans: readonly CacheEntryPlan[]): Promise<CacheLookup<T>[] | null> {
    if (!this.usable) {
      cacheRequests.inc({ result: 'bypass' }, plans.length);
      return null;
    }
    const counters = [...new Set(plans.flatMap((p) => p.counters))];
    const keys = [...counters, ...plans.map((p) => p.key)].map((k) => this.prefix + k);
    let raw: (string | null)[];
    try {
      raw = await this.redis.mget(keys);
    } catch {
      this.coolDownUntil = Date.now() + LOOKUP_COOL_DOWN_MS;
      cacheFailures.inc({ operation: 'lookup' });
      cacheRequests.inc({ result: 'bypass' }, plans.length);
      return null;
    }
    const counterValue = new Map(counters.map((c, i) => [c, raw[i] ?? '0']));
    return plans.map((plan, i) => {
      const stamp = plan.counters.map((c) => counterValue.get(c)).join('.');
      const entry = raw[counters.length + i];
      if (entry !== null && entry.startsWith(`${stamp}\n`)) {
        try {
          const value = JSON.parse(entry.slice(stamp.length + 1)) as T;
          cacheRequests.inc({ result: 'hit' });
          return { hit: true, value };
        } catch {
          // a damaged entry is a miss
        }
      }
      cacheRequests.inc({ result: 'miss' });
      return { hit: false, stamp };
    });
  }

  async stamps(plans: readonly CacheEntryPlan[]): Promise<string[] | null> {
    if (!this.usable) return null;
    const counters = [...new Set(plans.flatMap((p) => p.counters))];
    let raw: (string | null)[];
    try {
      raw = await this.redis.mget(counters.map((k) => this.prefix + k));
    } catch {
      this.coolDownUntil = Date.now() + LOOKUP_COOL_DOWN_MS;
      cacheFailures.inc({ operation: 'lookup' });
      return null;
    }
    const counterValue = new Map(counters.map((c, i) => [c, raw[i] ?? '0']));
    // A Redis that restarted (or lost writes) starts its counters again and may reach an old stamp; what
    // was prepared under that stamp in this process must not count. Every lost connection and failed
    // invalidation counts up `staleSince`, so it names the Redis state the counters belong to.
    return plans.map((plan) => `${this.staleSince}/${plan.counters.map((c) => counterValue.get(c)).join('.')}`);
  }

  /** Stores an entry; resolves when Redis took it or failed (never rejects: the cache is optional). */
  async store(plan: CacheEntryPlan, stamp: string, value: unknown, ttlSeconds: number): Promise<void> {
    if (!this.usable) return;
    await this.redis
      .set(this.prefix + plan.key, `${stamp}\n${JSON.stringify(value)}`, 'EX', ttlSeconds)
      .catch(() => cacheFailures.inc({ operation: 'store' }));
  }

  /**
   * Retires the entries affected by new values: bumps their counters and drops them. When Redis does not
   * take it, the whole cache is retired as soon as Redis answers again (it is bypassed until then).
   */
  async invalidate(change: { counters: readonly string[]; entries: readonly string[] }): Promise<boolean> {
    if (change.counters.length === 0 && change.entries.length === 0) return true;
    if (this.redis.status !== 'ready') {
      this.markDirty();
      return false;
    }
    try {
      const multi = this.redis.multi();
      for (const c of change.counters) multi.incr(this.prefix + c);
      if (change.entries.length) multi.del(...change.entries.map((e) => this.prefix + e));
      const results = await multi.exec();
      if (!results || results.some(([error]) => error)) throw new Error('invalidation not applied');
      return true;
    } catch {
      cacheFailures.inc({ operation: 'invalidate' });
      this.markDirty();
      return false;
    }
  }

  private markDirty(): void {
    this.staleSince++;
    this.scheduleBump();
  }

  private scheduleBump(): void {
    if (this.retryTimer || this.closed) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.bumpGeneration(); // never rejects: counts a failure and schedules the next try
    }, 250);
    this.retryTimer.unref();
  }

  /** Retires every entry stored before now; the cache is used again only when Redis confirmed it. */
  private async bumpGeneration(): Promise<void> {
    if (this.bumpInFlight || this.closed || this.bumpedFor === this.staleSince) return;
    this.bumpInFlight = true;
    const covers = this.staleSince;
    try {
      if (this.redis.status !== 'ready') return; // the next 'ready' bumps
      await withTimeout(this.redis.incr(this.prefix + GENERATION), BUMP_TIMEOUT_MS);
      generationBumps.inc();
      this.bumpedFor = Math.max(this.bumpedFor, covers);
      this.log.log('cache generation bumped: entries from before are retired');
    } catch {
      cacheFailures.inc({ operation: 'generation' });
    } finally {
      this.bumpInFlight = false;
      // something went stale while this bump ran, or it failed: try again
      if (this.bumpedFor !== this.staleSince && this.redis.status === 'ready') this.scheduleBump();
    }
  }

  onApplicationShutdown(): void {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
  }
}
