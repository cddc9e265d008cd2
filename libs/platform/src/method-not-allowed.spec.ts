import { Controller, Get, Module, Post } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createHttpService } from './http-service';
import { allowedMethods, routePattern } from './method-not-allowed';
import { PlatformModule } from './platform.module';

describe('routePattern', () => {
  it('matches a parameter within one segment and a wildcard across segments', () => {
    expect(routePattern('/api/v1/indicators/:id/values').test('/api/v1/indicators/births/values')).toBe(true);
    expect(routePattern('/api/v1/indicators/:id/values').test('/api/v1/indicators/a/b/values')).toBe(false);
    expect(routePattern('/assets/*').test('/assets/js/app.js')).toBe(true);
    expect(routePattern('/api/v1/downloads/values.:format').test('/api/v1/downloads/values.parquet')).toBe(true);
    expect(routePattern('/api/v1/downloads/values.:format').test('/api/v1/downloads/valuesXparquet')).toBe(false);
    expect(routePattern('/api/openapi.json').test('/api/openapiXjson')).toBe(false);
  });

  it('lists the methods of every route whose pattern matches, and none for an unknown path', () => {
    const routes = [
      { pattern: routePattern('/items'), methods: new Set(['GET', 'HEAD']) },
      { pattern: routePattern('/items/:id'), methods: new Set(['GET']) },
      { pattern: routePattern('/items/:id'), methods: new Set(['POST']) },
    ];
    expect(allowedMethods(routes, '/items/7')).toEqual(['GET', 'POST']);
    expect(allowedMethods(routes, '/nothing')).toEqual([]);
  });

  it('gives a path that names a route exactly to that route alone, not to a parameter route beside it', () => {
    const routes = [
      { pattern: routePattern('/sources/:name'), methods: new Set(['GET', 'HEAD']) },
      { pattern: routePattern('/sources/validate'), exact: true, methods: new Set(['POST']) },
    ];
    expect(allowedMethods(routes, '/sources/validate')).toEqual(['POST']);
    expect(allowedMethods(routes, '/sources/pflege')).toEqual(['GET', 'HEAD']);
  });
});

describe('405 for a method a path does not serve', () => {
  @Controller('api/v1/things')
  class Things {
    @Get(':id')
    one() {
      return { ok: true };
    }
    @Post(':id/complete')
    complete() {
      return { ok: true };
    }
  }
  @Module({ imports: [PlatformModule.forRoot({ service: 'method-test', logLevel: 'silent' })], controllers: [Things] })
  class TestModule {}

  let app: NestFastifyApplication;
  beforeAll(async () => {
    app = await createHttpService(TestModule, { service: 'method-test', port: 0 });
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });
  afterAll(() => app.close());

  const inject = (method: string, url: string) =>
    app
      .getHttpAdapter()
      .getInstance()
      .inject({ method: method as 'GET', url });

  it('answers TRACE on a served path with 405, an Allow header and a problem document', async () => {
    const res = await inject('TRACE', '/api/v1/things/7');
    expect(res.statusCode).toBe(405);
    expect(res.headers.allow).toBe('GET, HEAD');
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({ status: 405, title: 'Method Not Allowed', instance: '/api/v1/things/7' });
  });

  it('answers before reading a body: QUERY without a content type is a 405, not a 400', async () => {
    const res = await inject('QUERY', '/api/v1/things/7/complete');
    expect(res.statusCode).toBe(405);
    expect(res.headers.allow).toBe('POST');
  });

  it('keeps 404 for a path no route serves, and serves the methods it has', async () => {
    expect((await inject('TRACE', '/api/v1/nothing')).statusCode).toBe(404);
    expect((await inject('GET', '/api/v1/things/7')).statusCode).toBe(200);
    expect((await inject('GET', '/health/live')).statusCode).toBe(200);
  });
});
