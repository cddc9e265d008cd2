import { DynamicModule, Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { HealthIndicatorService, TerminusModule, type HealthIndicatorResult } from '@nestjs/terminus';
import { RedisEnvironment } from '@sozialmonitor/config';
import Redis from 'ioredis';
import { Gauge } from 'prom-client';
import { singletonMetric } from './metrics';

export const REDIS = Symbol('REDIS');

/** The clients of this process's RedisModule; `sozialmonitor_redis_up` reports whether all are connected. */
const clients = new Set<Redis>();
/** Registered with the first client: a service without Redis exports no such series (not a 0). */
function trackRedis(client: Redis): void {
  clients.add(client);
  singletonMetric(
    'sozialmonitor_redis_up',
    () =>
      new Gauge({
        name: 'sozialmonitor_redis_up',
        help: '1 while the Redis client of this service is connected, 0 while it is not (reconnecting)',
        collect() {
          this.set(clients.size > 0 && [...clients].every((c) => c.status === 'ready') ? 1 : 0);
        },
      }),
  );
}

/**
 * A Redis client that never makes a caller wait for a dead server: no offline queue, short command
 * timeouts, one retry per request; it reconnects in the background (ioredis would otherwise queue
 * commands and answer after ~70 s).
 */
export function createRedis(url: string): Redis {
  return new Redis(url, {
    enableOfflineQueue: false,
    commandTimeout: 300,
    connectTimeout: 1000,
    maxRetriesPerRequest: 1,
    retryStrategy: (times) => Math.min(100 * times, 1000),
    lazyConnect: false,
  });
}

/** Resolves when the client is connected (commands fail fast before that, by design). */
export function redisReady(client: Redis, timeoutMs = 5000): Promise<void> {
  if (client.status === 'ready') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`redis not ready within ${timeoutMs} ms`)), timeoutMs);
    client.once('ready', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

@Injectable()
export class RedisHealthIndicator implements OnApplicationShutdown {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly health: HealthIndicatorService,
  ) {}

  async isHealthy(key = 'redis'): Promise<HealthIndicatorResult> {
    const indicator = this.health.check(key);
    try {
      await this.redis.ping();
      return indicator.up();
    } catch (e) {
      return indicator.down({ message: (e as Error).message });
    }
  }

  onApplicationShutdown(): void {
    clients.delete(this.redis);
    this.redis.disconnect();
  }
}

@Global()
@Module({})
export class RedisModule {
  static forRoot(environment: new (...a: never[]) => RedisEnvironment): DynamicModule {
    return {
      module: RedisModule,
      imports: [TerminusModule],
      providers: [
        {
          provide: REDIS,
          inject: [environment],
          useFactory: (env: RedisEnvironment) => {
            const client = createRedis(env.REDIS_URL);
            client.on('error', () => undefined); // reported by health and by callers; avoid unhandled 'error' events
            trackRedis(client);
            return client;
          },
        },
        RedisHealthIndicator,
      ],
      exports: [REDIS, RedisHealthIndicator],
    };
  }
}
