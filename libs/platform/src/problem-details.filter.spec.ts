import type { ArgumentsHost } from '@nestjs/common';
import { ProblemDetailsFilter } from './problem-details.filter';

/** Runs the filter on an exception and returns what the reply got. */
function answer(exception: unknown) {
  const sent: { status?: number; headers: Record<string, string>; body?: Record<string, unknown> } = { headers: {} };
  const reply = {
    status: (c: number) => (sent.status = c),
    header: (k: string, v: string) => (sent.headers[k] = v),
    send: (b: Record<string, unknown>) => (sent.body = b),
  };
  const host = {
    getType: () => 'http',
    switchToHttp: () => ({ getResponse: () => reply, getRequest: () => ({ url: '/api/v1/sources/population/records?x=1' }) }),
  } as unknown as ArgumentsHost;
  new ProblemDetailsFilter().catch(exception, host);
  return sent;
}

const named = (name: string, message = 'connection refused') => Object.assign(new Error(message), { name });

describe('ProblemDetailsFilter: a dependency that is down (issue 11, hole 9)', () => {
  it.each(['MongoServerSelectionError', 'MongoNetworkError', 'MongoNotConnectedError', 'PoolClearedError'])(
    '%s answers 503 with Retry-After, not 500',
    (name) => {
      const sent = answer(named(name, 'connect ECONNREFUSED 127.0.0.1:27017'));
      expect(sent.status).toBe(503);
      expect(sent.headers['retry-after']).toBe('5');
      expect(sent.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(sent.body).toMatchObject({ status: 503, title: 'Service Unavailable', instance: '/api/v1/sources/population/records' });
      // internals (addresses, driver messages) stay out of the answer
      expect(JSON.stringify(sent.body)).not.toContain('27017');
    },
  );

  it('finds the failure in the cause chain, and keeps 500 for an error that is no dependency failure', () => {
    expect(answer(new Error('wrapped', { cause: Object.assign(new Error('x'), { code: 'ECONNRESET' }) })).status).toBe(503);
    expect(answer(new TypeError('undefined is not a function')).status).toBe(500);
  });
});
