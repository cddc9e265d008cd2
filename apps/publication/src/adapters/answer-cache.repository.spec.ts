import { EventEmitter } from 'node:events';
import type Redis from 'ioredis';
import { slicePlan } from '../domain/cache-plan';
import type { PublicationEnvironment } from '../publication.environment';
import { AnswerCacheRepository } from './answer-cache.repository';

/** Just enough of ioredis: status, events, mget/set/incr/multi over a Map; `down` makes commands fail. */
class FakeRedis extends EventEmitter {
  status = 'connecting';
  down = false;
  readonly data = new Map<string, string>();
  private check() {
    if (this.down) return Promise.reject(new Error('Connection is closed.'));
    return Promise.resolve();
  }
  async mget(keys: string[]) {
    await this.check();
    return keys.map((k) => this.data.get(k) ?? null);
  }
  async set(key: string, value: string) {
    await this.check();
    this.data.set(key, value);
    return 'OK';
  }
  async incr(key: string) {
    await this.check();
    const next = Number(this.data.get(key) ?? '0') + 1;
    this.data.set(key, String(next));
    return next;
  }
  multi() {
    const ops: (() => void)[] = [];
    const chain = {
      incr: (k: string) => (ops.push(() => this.data.set(k, String(Number(this.data.get(k) ?? '0') + 1))), chain),
      del: (...ks: string[]) => (ops.push(() => ks.forEach((k) => this.data.delete(k))), chain),
      exec: async () => {
        await this.check();
        ops.forEach((op) => op());
        return ops.map(() => [null, 1]);
      },
    };
    return chain;
  }
  connect() {
    this.down = false;
    this.status = 'ready';
    this.emit('ready');
  }
  lose() {
    this.down = true;
    this.status = 'reconnecting';
    this.emit('close');
  }
}

const env = { PUBLICATION_CACHE_PREFIX: 'p' } as PublicationEnvironment;
const flush = () => new Promise((r) => setTimeout(r, 10));
const plan = slicePlan('births', '2023');

async function fill(cache: AnswerCacheRepository, value: unknown) {
  const [found] = (await cache.lookup([plan]))!;
  if (found.hit) throw new Error('expected a miss');
  await cache.store(plan, found.stamp, value, 60);
  await flush();
}

describe('AnswerCacheRepository', () => {
  it('is bypassed until the generation was bumped after connecting', async () => {
    const redis = new FakeRedis();
    const cache = new AnswerCacheRepository(redis as unknown as Redis, env);
    expect(await cache.lookup([plan])).toBeNull();
    redis.connect();
    await flush();
    expect(redis.data.get('p:gen')).toBe('1');
    expect(cache.usable).toBe(true);
  });

  it('serves an entry while its counters are unchanged, and not after an invalidation', async () => {
    const redis = new FakeRedis();
    redis.connect();
    const cache = new AnswerCacheRepository(redis as unknown as Redis, env);
    await flush();
    await fill(cache, [1]);
    expect((await cache.lookup([plan]))![0]).toEqual({ hit: true, value: [1] });
    expect(await cache.invalidate({ counters: [plan.counters[1]], entries: [] })).toBe(true);
    expect((await cache.lookup([plan]))![0].hit).toBe(false);
  });

  it('never stores what a computation from before an invalidation produced', async () => {
    const redis = new FakeRedis();
    redis.connect();
    const cache = new AnswerCacheRepository(redis as unknown as Redis, env);
    await flush();
    const [before] = (await cache.lookup([plan]))!;
    await cache.invalidate({ counters: [plan.counters[1]], entries: [plan.key] });
    await cache.store(plan, (before as { stamp: string }).stamp, ['old'], 60);
    await flush();
    expect((await cache.lookup([plan]))![0].hit).toBe(false);
  });

  it('retires every entry after a failed invalidation, once Redis answers again — also after several outages', async () => {
    const redis = new FakeRedis();
    redis.connect();
    const cache = new AnswerCacheRepository(redis as unknown as Redis, env);
    await flush();
    for (let outage = 0; outage < 3; outage++) {
      await fill(cache, [`v${outage}`]);
      redis.lose();
      expect(await cache.invalidate({ counters: [plan.counters[1]], entries: [plan.key] })).toBe(false);
      expect(await cache.lookup([plan])).toBeNull();
      redis.connect();
      await flush();
      // the entry is still in Redis, but its generation is gone
      expect([...redis.data.values()].some((v) => v.includes(`v${outage}`))).toBe(true);
      expect((await cache.lookup([plan]))![0].hit).toBe(false);
    }
  });

  it('bumps again when an invalidation fails while Redis stays connected', async () => {
    const redis = new FakeRedis();
    redis.connect();
    const cache = new AnswerCacheRepository(redis as unknown as Redis, env);
    await flush();
    await fill(cache, ['stale']);
    redis.down = true; // e.g. a command timeout; the connection stays
    expect(await cache.invalidate({ counters: [plan.counters[1]], entries: [] })).toBe(false);
    expect(cache.usable).toBe(false);
    redis.down = false;
    await new Promise((r) => setTimeout(r, 400));
    expect(cache.usable).toBe(true);
    expect((await cache.lookup([plan]))![0].hit).toBe(false);
    cache.onApplicationShutdown();
  });
  it('gives stamps that follow the counters and never repeat across a Redis that restarted empty', async () => {
    const redis = new FakeRedis();
    redis.connect();
    const cache = new AnswerCacheRepository(redis as unknown as Redis, env);
    await flush();
    const [before] = (await cache.stamps([plan]))!;
    await cache.invalidate({ counters: [plan.counters[1]], entries: [plan.key] });
    const [bumped] = (await cache.stamps([plan]))!;
    expect(bumped).not.toBe(before);
    // a restart: the data is gone, the counters start again and reach the old values
    redis.lose();
    expect(await cache.stamps([plan])).toBeNull();
    redis.data.clear();
    redis.connect();
    await flush();
    const [afterRestart] = (await cache.stamps([plan]))!;
    expect(redis.data.get('p:gen')).toBe('1');
    expect([before, bumped]).not.toContain(afterRestart);
    cache.onApplicationShutdown();
  });
});
