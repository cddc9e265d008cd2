import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { HealthIndicatorResult } from '@nestjs/terminus';
import { Gauge } from 'prom-client';
import { READINESS_CHECKS, type ReadinessCheck } from './health';
import { singletonMetric } from './metrics';

const CHECK_TIMEOUT_MS = 2000;
let current: ReadinessCheck[] | undefined;
/** One evaluation serves both gauges of a scrape (the registry collects metrics concurrently). */
let evaluation: { at: number; states: Promise<Map<string, number>> } | undefined;

async function outcome(check: ReadinessCheck): Promise<HealthIndicatorResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<HealthIndicatorResult>((resolve) => {
    timer = setTimeout(() => resolve({ timeout: { status: 'down' } }), CHECK_TIMEOUT_MS);
  });
  const failed: HealthIndicatorResult = { check: { status: 'down' } };
  return Promise.race([check().catch(() => failed), timeout]).finally(() => clearTimeout(timer));
}

function states(checks: ReadinessCheck[]): Promise<Map<string, number>> {
  if (!evaluation || Date.now() - evaluation.at > 1000) {
    evaluation = {
      at: Date.now(),
      states: Promise.all(checks.map(outcome)).then((results) => {
        const byCheck = new Map<string, number>();
        for (const result of results) {
          for (const [name, state] of Object.entries(result)) byCheck.set(name, state.status === 'up' ? 1 : 0);
        }
        return byCheck;
      }),
    };
  }
  return evaluation.states;
}

/**
 * `sozialmonitor_ready` is what `GET /health/ready` would answer (1 ready, 0 not), evaluated at scrape
 * time from the same checks, and `sozialmonitor_readiness_check` says which check is down — so
 * Prometheus sees "running but not ready" without a blackbox prober.
 */
singletonMetric(
  'sozialmonitor_ready',
  () =>
    new Gauge({
      name: 'sozialmonitor_ready',
      help: '1 when every readiness check of /health/ready is up, else 0',
      async collect() {
        if (!current) return;
        this.set(Math.min(1, ...(await states(current)).values()));
      },
    }),
);
singletonMetric(
  'sozialmonitor_readiness_check',
  () =>
    new Gauge({
      name: 'sozialmonitor_readiness_check',
      help: 'Each readiness check of /health/ready: 1 up, 0 down',
      labelNames: ['check'],
      async collect() {
        if (!current) return;
        this.reset();
        for (const [check, up] of await states(current)) this.set({ check }, up);
      },
    }),
);

/** Hands the service's readiness checks to the two gauges for as long as the application runs. */
@Injectable()
export class ReadinessMetrics implements OnModuleInit, OnApplicationShutdown {
  constructor(@Inject(READINESS_CHECKS) private readonly checks: ReadinessCheck[]) {}

  onModuleInit(): void {
    current = this.checks;
    evaluation = undefined;
  }

  onApplicationShutdown(): void {
    if (current === this.checks) current = undefined;
  }
}
