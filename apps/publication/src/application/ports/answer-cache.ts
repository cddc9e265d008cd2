import type { CacheEntryPlan } from '../../domain/cache-plan';

/** A cache answer for one planned entry: the value, or the stamp a freshly computed value is stored under. */
export type CacheLookup<T> =
  { readonly hit: true; readonly value: T } | { readonly hit: false; readonly stamp: string };

/** The shared answer cache (Redis in the service). Optional: it never fails its caller. */
export abstract class AnswerCache {
  /** The entries of `plans` (aligned with them), or null when the cache is not usable now. */
  abstract lookup<T>(plans: readonly CacheEntryPlan[]): Promise<CacheLookup<T>[] | null>;
  /**
   * The stamps the entries of `plans` would be valid under now (counters only: one small round trip),
   * aligned with them; null when the cache is not usable. Equal stamps mean equal entries — also across
   * a Redis restart, which starts the counters again (the stamps name the connection's state too).
   */
  abstract stamps(plans: readonly CacheEntryPlan[]): Promise<string[] | null>;
  /** Stores an entry under the stamp its lookup returned; resolves when the cache took it or failed. */
  abstract store(plan: CacheEntryPlan, stamp: string, value: unknown, ttlSeconds: number): Promise<void>;
  /** Retires the entries and counters of changed values; false when the cache could not be reached. */
  abstract invalidate(change: { counters: readonly string[]; entries: readonly string[] }): Promise<boolean>;
}
