import { Injectable, Module } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DEFAULT_HTTP_LIMITS } from './http-limits';
import { createHttpService } from './http-service';
import { PlatformModule } from './platform.module';

const METRICS_TOKEN = 'metrics-token-0123456789abcdef';

@Injectable()
class BrokerCheck {
  isHealthy() {
    return Promise.resolve({ kafka: { status: 'up' as const, brokers: 'kafka-0.internal:9092' } });
  }
}

@Module({ imports: [PlatformModule.forRoot({ service: 'ops-test', logLevel: 'silent', readiness: [BrokerCheck] })], providers: [BrokerCheck] })
class TestModule {}

async function start(metricsToken?: string): Promise<{ app: NestFastifyApplication; url: string }> {
  const app = await createHttpService(TestModule, {
    service: 'ops-test',
    port: 0,
    limits: { ...DEFAULT_HTTP_LIMITS, ...(metricsToken ? { metricsToken } : {}) },
  });
  await app.listen(0, '127.0.0.1');
  return { app, url: (await app.getUrl()).replace('[::1]', '127.0.0.1') };
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('/metrics and readiness details behind METRICS_TOKEN (issue 11, hole 9)', () => {
  let app: NestFastifyApplication;
  let url: string;
  beforeAll(async () => ({ app, url } = await start(METRICS_TOKEN)));
  afterAll(() => app.close());

  it('answers /metrics only with the token: 401 problem+json without or with another one', async () => {
    for (const headers of [{}, bearer('another-token-0123456789abcdef'), { authorization: METRICS_TOKEN }]) {
      const res = await fetch(`${url}/metrics`, { headers });
      expect(res.status).toBe(401);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(await res.text()).not.toContain('process_cpu');
    }
    const ok = await fetch(`${url}/metrics`, { headers: bearer(METRICS_TOKEN) });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('process_cpu');
  });

  it('answers readiness with its status only, the details with the token', async () => {
    const anonymous = await fetch(`${url}/health/ready`);
    expect(anonymous.status).toBe(200);
    expect(await anonymous.json()).toEqual({ status: 'ok' });
    const operator = await fetch(`${url}/health/ready`, { headers: bearer(METRICS_TOKEN) });
    expect(JSON.stringify(await operator.json())).toContain('kafka-0.internal');
  });

  it('leaves both open without a token configured (development, tests)', async () => {
    const open = await start();
    try {
      expect((await fetch(`${open.url}/metrics`)).status).toBe(200);
      expect(JSON.stringify(await (await fetch(`${open.url}/health/ready`)).json())).toContain('kafka-0.internal');
    } finally {
      await open.app.close();
    }
  });
});

@Injectable()
class DownBroker {
  isHealthy() {
    return Promise.resolve({ kafka: { status: 'down' as const, message: 'connection refused' } });
  }
}

@Module({ imports: [PlatformModule.forRoot({ service: 'ops-test', logLevel: 'silent', readiness: [DownBroker] })], providers: [DownBroker] })
class DownModule {}

describe('readiness when a dependency is down', () => {
  it('answers 503 with the documented health result that names the dependency, not a problem document', async () => {
    const app = await createHttpService(DownModule, { service: 'ops-test', port: 0, limits: DEFAULT_HTTP_LIMITS });
    await app.listen(0, '127.0.0.1');
    try {
      const res = await fetch(`${(await app.getUrl()).replace('[::1]', '127.0.0.1')}/health/ready`);
      expect(res.status).toBe(503);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expect(await res.json()).toMatchObject({ status: 'error', error: { kafka: { status: 'down', message: 'connection refused' } } });
    } finally {
      await app.close();
    }
  });
});
