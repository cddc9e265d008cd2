import { ConfigurationError } from '@sozialmonitor/config';
import { ApiTokenRegistry } from './api-tokens';
import { authenticate, authorize, permits } from './authorization';
import { RequireRole } from './auth.module';
import { ProblemException } from '../problem-details.filter';

const ANALYST = 'analyst-token-0123456789abcdef';
const INGEST = 'ingest-token-0123456789abcdef';
const tokens = JSON.stringify([
  { name: 'reports', token: ANALYST, roles: ['analyst'] },
  { name: 'population-feed', token: INGEST, roles: ['ingest'], sources: ['population'] },
]);

function statusOf(fn: () => unknown): number | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof ProblemException ? e.problem.status : -1;
  }
  return undefined;
}

describe('ApiTokenRegistry', () => {
  it('finds the principal of a configured token and keeps no token in memory', () => {
    const registry = ApiTokenRegistry.fromJson(tokens);
    expect(registry.size).toBe(2);
    expect(registry.principalOf(ANALYST)).toEqual({ name: 'reports', roles: ['analyst'] });
    expect(registry.principalOf(INGEST)?.sources).toEqual(['population']);
    expect(registry.principalOf('unknown-token-0123456789')).toBeUndefined();
    // what the object holds: hashes and principals only
    const dump = JSON.stringify([...(registry as unknown as { byHash: Map<string, unknown> }).byHash]);
    expect(dump).not.toContain(ANALYST);
    expect(dump).not.toContain(INGEST);
  });

  it('is empty without configuration', () => {
    expect(ApiTokenRegistry.fromJson(undefined).size).toBe(0);
    expect(ApiTokenRegistry.fromJson('  ').size).toBe(0);
  });

  it.each([
    ['not json', /API_TOKENS: must be a JSON array/],
    ['{"name":"x"}', /API_TOKENS: must be a JSON array/],
    ['[{"name":"x","token":"short","roles":["admin"]}]', /entry 0: token must be a text of at least 16/],
    ['[{"name":"x","token":"0123456789abcdefXYZ","roles":["root"]}]', /entry 0: roles must be a non-empty list/],
    ['[{"name":"","token":"0123456789abcdefXYZ","roles":["admin"]}]', /entry 0: name must be a non-empty text/],
    [
      '[{"name":"x","token":"0123456789abcdefXYZ","roles":["ingest"],"sources":"population"}]',
      /entry 0: sources must be a list/,
    ],
    [
      '[{"name":"a","token":"0123456789abcdefXYZ","roles":["admin"]},{"name":"b","token":"0123456789abcdefXYZ","roles":["admin"]}]',
      /entry 1: token is the same/,
    ],
    [
      '[{"name":"a","token":"0123456789abcdefXYZ","roles":["admin"]},{"name":"a","token":"0123456789abcdefXY2","roles":["admin"]}]',
      /entry 1: name appears twice/,
    ],
  ])('refuses %s naming the variable and the entry, never the token', (text, message) => {
    let error: unknown;
    try {
      ApiTokenRegistry.fromJson(text);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('0123456789abcdef');
  });
});

describe('authenticate / authorize', () => {
  const registry = ApiTokenRegistry.fromJson(tokens);

  it('tells anonymous, invalid and known callers apart', () => {
    expect(authenticate(registry, undefined)).toEqual({ kind: 'anonymous' });
    expect(authenticate(registry, `Bearer ${ANALYST}`)).toMatchObject({
      kind: 'principal',
      principal: { name: 'reports' },
    });
    expect(authenticate(registry, `bearer   ${ANALYST}`)).toMatchObject({ kind: 'principal' });
    expect(authenticate(registry, `Basic ${ANALYST}`)).toEqual({ kind: 'invalid' });
    expect(authenticate(registry, 'Bearer wrong-token-0123456789')).toEqual({ kind: 'invalid' });
  });

  it('answers 401 for missing or unknown tokens and 403 for a missing role or source', () => {
    expect(statusOf(() => authorize(registry, undefined, { role: 'analyst' }))).toBe(401);
    expect(statusOf(() => authorize(registry, 'Bearer nope-nope-nope-nope', { role: 'analyst' }))).toBe(401);
    expect(statusOf(() => authorize(registry, `Bearer ${INGEST}`, { role: 'analyst' }))).toBe(403);
    expect(statusOf(() => authorize(registry, `Bearer ${INGEST}`, { role: 'ingest', source: 'sgb2' }))).toBe(403);
    expect(
      statusOf(() => authorize(registry, `Bearer ${INGEST}`, { role: 'ingest', source: 'population' })),
    ).toBeUndefined();
    expect(authorize(registry, `Bearer ${ANALYST}`, { role: 'analyst' }).name).toBe('reports');
  });

  it('never puts the presented token into a problem', () => {
    try {
      authorize(registry, 'Bearer secret-value-that-is-unknown', { role: 'analyst' });
    } catch (e) {
      expect(JSON.stringify((e as ProblemException).problem)).not.toContain('secret-value');
    }
    expect.assertions(1);
  });

  it('lets a token without a source list deliver to every source', () => {
    expect(permits({ name: 'all', roles: ['ingest'] }, { role: 'ingest', source: 'sgb2' })).toBe(true);
    expect(permits({ name: 'all', roles: ['admin'] }, { role: 'ingest' })).toBe(false);
  });

  it('accepts any one of several roles, and names them all when none is there', () => {
    const heldValues = { role: ['admin', 'analyst'] as const, purpose: 'held values' };
    expect(authorize(registry, `Bearer ${ANALYST}`, heldValues).name).toBe('reports');
    expect(permits({ name: 'office', roles: ['admin'] }, heldValues)).toBe(true);
    expect(permits({ name: 'feed', roles: ['ingest', 'internal'] }, heldValues)).toBe(false);
    const refused = (authorization: string | undefined) => {
      try {
        authorize(registry, authorization, heldValues);
      } catch (e) {
        return (e as ProblemException).problem;
      }
      return undefined;
    };
    expect(refused(`Bearer ${INGEST}`)).toMatchObject({
      status: 403,
      detail: "the token lacks one of the roles 'admin' or 'analyst' (held values)",
    });
    expect(refused(undefined)).toMatchObject({
      status: 401,
      detail: "a bearer token with one of the roles 'admin' or 'analyst' is required (held values)",
    });
    // one role stays worded as before (the auth matrix reads the role from the documented 403)
    expect(statusOf(() => authorize(registry, `Bearer ${INGEST}`, { role: ['analyst'] }))).toBe(403);
  });

  it('documents the accepted roles in the 403 of a route with several', () => {
    class Routes {
      held() {}
    }
    const descriptor = Object.getOwnPropertyDescriptor(Routes.prototype, 'held')!;
    RequireRole(['admin', 'analyst'])(Routes.prototype, 'held', descriptor);
    const responses = Reflect.getMetadata('swagger/apiResponse', descriptor.value) as Record<string, { description: string }>;
    expect(responses['403'].description).toBe("The token lacks one of the roles 'admin' or 'analyst'");
  });
});
