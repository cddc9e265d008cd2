import { register } from 'prom-client';
import { ReadinessMetrics } from './readiness.metrics';

const value = async (name: string) => (await register.getSingleMetric(name)!.get()).values;

describe('readiness metrics', () => {
  it('report what /health/ready would answer, and which check is down', async () => {
    const metrics = new ReadinessMetrics([
      async () => ({ kafka: { status: 'up' } }),
      async () => ({ mongo: { status: 'down', message: 'no primary' } }),
    ]);
    metrics.onModuleInit();
    expect((await value('sozialmonitor_ready')).map((v) => v.value)).toEqual([0]);
    expect((await value('sozialmonitor_readiness_check')).map((v) => [v.labels.check, v.value])).toEqual([
      ['kafka', 1],
      ['mongo', 0],
    ]);
    metrics.onApplicationShutdown();
  });

  it('a check that throws counts as down; all up is 1', async () => {
    const failing = new ReadinessMetrics([async () => Promise.reject(new Error('boom'))]);
    failing.onModuleInit();
    expect((await value('sozialmonitor_ready')).map((v) => v.value)).toEqual([0]);
    failing.onApplicationShutdown();
    const healthy = new ReadinessMetrics([async () => ({ kafka: { status: 'up' } })]);
    healthy.onModuleInit();
    expect((await value('sozialmonitor_ready')).map((v) => v.value)).toEqual([1]);
    healthy.onApplicationShutdown();
  });
});
