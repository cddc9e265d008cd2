import { Body, Controller, Get, Global, Module, Param, Post } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { connect } from 'node:net';
import { ApiTokenRegistry } from './auth/api-tokens';
import { RequireRole, RequirementGuard } from './auth/auth.module';
import { DEFAULT_HTTP_LIMITS, type HttpLimits } from './http-limits';
import { createHttpService } from './http-service';
import { PlatformModule } from './platform.module';

const ADMIN = 'http-limits-admin-token-0123456789';
const READER = 'http-limits-reader-token-0123456789';

@Controller('api/v1')
class ThingsController {
  @Get('things/:name')
  get(@Param('name') name: string) {
    return { name };
  }

  @Post('things')
  @RequireRole('admin')
  create(@Body() body: unknown) {
    return { created: body };
  }
}

@Global()
@Module({
  providers: [
    {
      provide: ApiTokenRegistry,
      useValue: ApiTokenRegistry.fromJson(
        JSON.stringify([
          { name: 'admin', token: ADMIN, roles: ['admin'] },
          { name: 'reader', token: READER, roles: ['analyst'] },
        ]),
      ),
    },
    RequirementGuard,
  ],
  exports: [ApiTokenRegistry, RequirementGuard],
})
class TokensModule {}

@Module({
  imports: [PlatformModule.forRoot({ service: 'http-limits-test', logLevel: 'silent' }), TokensModule],
  controllers: [ThingsController],
})
class TestModule {}

async function start(limits: Partial<HttpLimits> = {}): Promise<{ app: NestFastifyApplication; url: string }> {
  const app = await createHttpService(TestModule, {
    service: 'http-limits-test',
    port: 0,
    limits: { ...DEFAULT_HTTP_LIMITS, ...limits },
  });
  await app.listen(0, '127.0.0.1');
  return { app, url: (await app.getUrl()).replace('[::1]', '127.0.0.1') };
}

/** A raw HTTP exchange (for requests `fetch` refuses to send); resolves with what came back before the socket closed. */
function raw(url: string, text: string, keepOpenMs = 0): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let answer = '';
    socket.on('data', (d) => (answer += d.toString('latin1')));
    socket.on('error', () => resolve(answer));
    socket.on('close', () => resolve(answer));
    socket.on('connect', () => {
      socket.write(text);
      if (keepOpenMs === 0) return;
      setTimeout(() => reject(new Error(`socket still open after ${keepOpenMs} ms`)), keepOpenMs).unref();
    });
  });
}

const problemOf = async (res: Response) => ({
  status: res.status,
  type: res.headers.get('content-type'),
  body: (await res.json()) as { status: number; title: string; detail: string },
});

describe('HTTP limits and framework errors (api.md "Internal endpoints … limits")', () => {
  let app: NestFastifyApplication;
  let url: string;

  beforeAll(async () => ({ app, url } = await start()));
  afterAll(async () => app?.close());

  it('answers an unauthenticated write with 401 before reading its body, malformed or not', async () => {
    for (const [authorization, detail] of [
      [undefined, 'a bearer token is required'],
      ['Bearer unknown-token-unknown-token', 'the bearer token is not valid'],
    ] as const) {
      const res = await fetch(`${url}/api/v1/things`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
        body: '{"not json',
      });
      expect(await problemOf(res)).toMatchObject({
        status: 401,
        type: 'application/problem+json; charset=utf-8',
        body: { status: 401, detail },
      });
    }
    // a token without the role: the guard's 403 (after the body)
    const forbidden = await fetch(`${url}/api/v1/things`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${READER}` },
      body: '{}',
    });
    expect(forbidden.status).toBe(403);
    const ok = await fetch(`${url}/api/v1/things`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN}` },
      body: '{"a":1}',
    });
    expect([ok.status, await ok.json()]).toEqual([201, { created: { a: 1 } }]);
  });

  it('answers a body that is not JSON with problem+json that does not quote the body', async () => {
    const res = await fetch(`${url}/api/v1/things`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN}` },
      body: '{"Kanarienvogel',
    });
    const p = await problemOf(res);
    expect(p).toMatchObject({ status: 400, type: 'application/problem+json; charset=utf-8' });
    expect(JSON.stringify(p.body)).not.toContain('Kanarienvogel');
  });

  it('answers bad percent-encoding, a too long parameter and oversized headers with problem+json', async () => {
    const bad = await raw(url, 'GET /api/v1/things/%E0%A4%A HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect(bad).toMatch(/^HTTP\/1\.1 400/);
    expect(bad).toMatch(/content-type: application\/problem\+json/i);
    const long = await fetch(`${url}/api/v1/things/${'x'.repeat(500)}`);
    expect((await problemOf(long)).type).toBe('application/problem+json; charset=utf-8');
    const huge = await raw(url, `GET /api/v1/things/${'y'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`);
    expect(huge).toMatch(/^HTTP\/1\.1 431/);
    expect(huge).toMatch(/Content-Type: application\/problem\+json/);
  });

  it('closes a connection that sends nothing more (a dripped request)', async () => {
    const slow = await start({ connectionTimeoutMs: 1000 });
    try {
      // half a request line, then silence: the socket is closed by the server, not kept forever
      await expect(raw(slow.url, 'POST /api/v1/things HTTP/1.1\r\nHost: x\r\n', 30_000)).resolves.toBeDefined();
    } finally {
      await slow.app.close();
    }
  });

  it('answers a client over its request rate with 429 problem+json and Retry-After; health probes are exempt', async () => {
    const limited = await start({ rateLimitPerMinute: 3 });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) statuses.push((await fetch(`${limited.url}/api/v1/things/a`)).status);
      const over = await fetch(`${limited.url}/api/v1/things/a`);
      expect([...statuses, over.status]).toEqual([200, 200, 200, 429]);
      expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(await problemOf(over)).toMatchObject({
        type: 'application/problem+json; charset=utf-8',
        body: { status: 429, title: 'Too Many Requests' },
      });
      // writes count too, and an unauthenticated one is still 429 (the limit comes first)
      expect((await fetch(`${limited.url}/api/v1/things`, { method: 'POST', body: '{}' })).status).toBe(429);
      expect((await fetch(`${limited.url}/health/live`)).status).toBe(200);
    } finally {
      await limited.app.close();
    }
  });
});
