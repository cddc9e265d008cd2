import { SOURCES } from '@sozialmonitor/contracts';
import { resolveResponse } from '@sozialmonitor/platform/openapi';
import { randomBytes } from 'node:crypto';
import { sampleOf } from '../protected-zone/support/fixtures';
import { SERVICE_NAMES, startContractStack, type ContractStack, type ServiceName } from '../contract/contract-stack';

/**
 * The auth matrix (issue 11): every write, admin and internal route of the four services × (no token,
 * unknown token, wrong role, wrong source, right token) → 401 / 401 / 403 / 403 / 2xx (api.md "Auth").
 *
 * The routes are not listed here: they come from each RUNNING service's OpenAPI document
 * (`/api/openapi.json`, built from Nest's router), so a route another engineer adds later is in the
 * matrix without touching this file. A route that needs a token is one whose only security
 * requirement is the bearer token; its role is the one its documented 403 names. The test fails when
 * a write route or a route under /api/v1/admin or /internal is public.
 *
 * For the right-token cell a route needs a request that succeeds; RIGHT_REQUESTS holds those of
 * today's routes. A route without one is still checked for 401/401/403/403, and its right token must
 * get past authentication (neither 401 nor 403, no 5xx).
 */
const random = () => randomBytes(24).toString('base64url');
const ROLES = ['ingest', 'analyst', 'admin', 'internal'] as const;
type Role = (typeof ROLES)[number];
const SOURCE = SOURCES[0].name;
const OTHER_SOURCE = SOURCES[1].name;

/** A route's accepted roles (any one is enough), as a key: the roles in ROLES order, joined by '+'. */
const keyOf = (roles: readonly Role[]) => ROLES.filter((r) => roles.includes(r)).join('+');
/** Every set of roles a route may accept (all but the empty and the full one). */
const ROLE_SETS = Array.from({ length: 2 ** ROLES.length - 2 }, (_, i) => ROLES.filter((_r, bit) => ((i + 1) >> bit) & 1));

/**
 * One token with exactly one role (ingest: for SOURCE); for every set of roles a route may accept, one
 * with every role OUTSIDE that set (the wrong role); an ingest token of another source.
 */
const right: Record<Role, string> = { ingest: random(), analyst: random(), admin: random(), internal: random() };
const wrongRole: Record<string, string> = Object.fromEntries(ROLE_SETS.map((set) => [keyOf(set), random()]));
const wrongSource = random();
const TOKENS = [
  ...ROLES.map((role) => ({
    name: `matrix-${role}`,
    token: right[role],
    roles: [role],
    ...(role === 'ingest' ? { sources: [SOURCE] } : {}),
  })),
  ...ROLE_SETS.map((set) => ({
    name: `matrix-not-${keyOf(set)}`,
    token: wrongRole[keyOf(set)],
    roles: ROLES.filter((r) => !set.includes(r)),
  })),
  { name: 'matrix-other-source', token: wrongSource, roles: ['ingest'], sources: [OTHER_SOURCE] },
];

interface Route {
  service: ServiceName;
  method: string;
  /** The documented path, e.g. /api/v1/admin/replays/{id}. */
  path: string;
  /** The roles it accepts (any one is enough); the first is the one its right-token request uses. */
  roles: Role[];
  /** Whether the route names a source (ingest tokens are scoped to sources). */
  sourceScoped: boolean;
}

interface Request {
  path: string;
  body?: unknown;
  contentType?: string;
}

type Documented = { description?: string };
type OpenApi = {
  paths: Record<string, Record<string, { security?: Record<string, string[]>[]; responses?: Record<string, Documented | { $ref: string }> }>>;
  components?: { responses?: Record<string, Documented> };
};

const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

/** The protected routes of a running service's document, and the routes that should be protected but are public. */
function routesOf(service: ServiceName, doc: OpenApi): { routes: Route[]; publicButShouldNot: string[] } {
  const routes: Route[] = [];
  const publicButShouldNot: string[] = [];
  for (const [path, operations] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(operations)) {
      if (!METHODS.includes(method)) continue;
      const security = op.security ?? [];
      const needsToken = security.length > 0 && security.every((s) => Object.keys(s).length > 0);
      const name = `${service} ${method.toUpperCase()} ${path}`;
      if (!needsToken) {
        if (method !== 'get' || /^\/(api\/v1\/admin|internal)\//.test(path)) publicButShouldNot.push(name);
        continue;
      }
      // a 403 several routes share stands once under components/responses (buildOpenApiDocument)
      const documented = op.responses?.['403'];
      const forbidden = documented ? (resolveResponse(doc, documented).description ?? '') : '';
      // the roles its documented 403 names (RequireRole writes them: "the role 'admin'", "one of the roles
      // 'admin' or 'analyst'"), else the one its path implies
      const named = ROLES.filter((r) => new RegExp(`\\b${r}\\b`).test(forbidden));
      const implied: Role | undefined = path.startsWith('/api/v1/admin/') ? 'admin' : path.startsWith('/internal/') ? 'internal' : path.includes('{source}') ? 'ingest' : undefined;
      const roles: Role[] = named.length > 0 ? named : implied ? [implied] : [];
      if (roles.length === 0) throw new Error(`${name}: neither its 403 nor its path names the role it needs ("${forbidden}")`);
      routes.push({ service, method: method.toUpperCase(), path, roles, sourceScoped: path.includes('{source}') });
    }
  }
  return { routes, publicButShouldNot };
}

/** Fills a documented path with values that exist (the requests of 401/403 never reach a handler's lookups). */
const fill = (path: string, values: Record<string, string> = {}) =>
  path.replace(/\{(\w+)\}/g, (_, name: string) => values[name] ?? (name === 'source' ? SOURCE : 'x'));

type Context = { stack: ContractStack; call: (route: Route, request: Request, token?: string) => Promise<{ status: number; json: unknown }> };

/** Requests that succeed with the right token, for today's routes ("METHOD path" of the documents). */
const RIGHT_REQUESTS: Partial<Record<string, (ctx: Context, route: Route) => Promise<Request>>> = {
  'POST /api/v1/sources/{source}/records': async () => ({
    path: fill('/api/v1/sources/{source}/records'),
    body: [sampleOf(SOURCE, 'matrix-1')],
  }),
  'POST /api/v1/sources/{source}/snapshots/{snapshotId}/complete': async (ctx, route) => {
    const snapshotId = `matrix-${random().slice(0, 8)}`;
    const delivered = await ctx.call(
      { ...route, path: '/api/v1/sources/{source}/records', method: 'POST' },
      { path: fill(`/api/v1/sources/{source}/records?mode=snapshot&snapshotId=${snapshotId}`), body: [sampleOf(SOURCE, 'matrix-2')] },
      right.ingest,
    );
    expect(delivered.status).toBe(202);
    return { path: fill(route.path, { snapshotId }) };
  },
  'GET /api/v1/admin/consumer-groups': async (_, r) => ({ path: r.path }),
  'GET /api/v1/admin/replays': async (_, r) => ({ path: r.path }),
  'POST /api/v1/admin/replays': async (ctx, r) => ({ path: r.path, body: { topic: await consumedTopic(ctx, r), from: 'earliest', dryRun: true } }),
  'GET /api/v1/admin/replays/{id}': async (ctx, r) => {
    const started = await ctx.call(
      { ...r, method: 'POST' },
      { path: '/api/v1/admin/replays', body: { topic: await consumedTopic(ctx, r), from: 'earliest', dryRun: true } },
      right.admin,
    );
    return { path: fill(r.path, { id: (started.json as { replayId: string }).replayId }) };
  },
  'GET /api/v1/admin/dead-letters': async (_, r) => ({ path: r.path }),
  'POST /api/v1/admin/dead-letters/redrive': async (_, r) => ({ path: r.path, body: { messages: ['0:999999999'] } }),
  'GET /internal/v1/indicators': async (_, r) => ({ path: r.path }),
  'GET /internal/v1/indicators/{id}/values': async (_, r) => ({ path: `${fill(r.path, { id: 'population' })}?date=2020-12-31` }),
  'GET /api/v1/admin/catalogue': async (_, r) => ({ path: r.path }),
  'GET /api/v1/admin/catalogue/versions': async (_, r) => ({ path: r.path }),
  'GET /api/v1/admin/catalogue/versions/{version}': async (_, r) => ({ path: fill(r.path, { version: '1' }) }),
  'GET /api/v1/admin/catalogue/audit': async (_, r) => ({ path: r.path }),
  'POST /api/v1/admin/catalogue/validate': async (ctx, r) => ({ path: r.path, body: { document: await catalogue(ctx, r) } }),
  'POST /api/v1/admin/catalogue/preview': async (ctx, r) => ({ path: r.path, body: { document: await catalogue(ctx, r) } }),
  'POST /api/v1/admin/catalogue/activate': async (ctx, r) => {
    const document = (await catalogue(ctx, r)) as { indicators: { id: string; name?: unknown }[] };
    // a change, so that a new version is activated (an unchanged document is a 409)
    const indicators = document.indicators.filter((i) => i.id !== 'mean_age');
    return { path: r.path, body: { document: { ...document, indicators }, reason: 'auth matrix' } };
  },
  'POST /api/v1/admin/catalogue/indicators/{id}/retire': async (_, r) => ({
    path: fill(r.path, { id: 'births_per_1000' }),
    body: { reason: 'auth matrix' },
  }),
  'POST /api/v1/admin/catalogue/rollback': async (_, r) => ({ path: r.path, body: { toVersion: 1, reason: 'auth matrix' } }),
};

async function consumedTopic(ctx: Context, route: Route): Promise<string> {
  const group = await ctx.call({ ...route, method: 'GET' }, { path: '/api/v1/admin/consumer-groups' }, right.admin);
  const partitions = (group.json as { partitions: { topic: string }[] }).partitions;
  expect(partitions.length).toBeGreaterThan(0);
  return partitions[0].topic;
}

async function catalogue(ctx: Context, route: Route): Promise<unknown> {
  const current = await ctx.call({ ...route, method: 'GET' }, { path: '/api/v1/admin/catalogue' }, right.admin);
  expect(current.status).toBe(200);
  return (current.json as { document: unknown }).document;
}

describe('auth matrix over every write, admin and internal route (issue 11)', () => {
  jest.setTimeout(300_000);
  let stack: ContractStack;
  let ctx: Context;
  const routes: Route[] = [];
  const publicButShouldNot: string[] = [];

  beforeAll(async () => {
    stack = await startContractStack(undefined, TOKENS);
    const call: Context['call'] = async (route, request, token) => {
      const res = await fetch(`${stack.services[route.service].url}${request.path}`, {
        method: route.method,
        headers: {
          ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
          ...(request.body === undefined ? {} : { 'content-type': request.contentType ?? 'application/json' }),
        },
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
      });
      const text = await res.text();
      let json: unknown;
      try {
        json = text ? JSON.parse(text) : undefined;
      } catch {
        json = text;
      }
      return { status: res.status, json };
    };
    ctx = { stack, call };
    for (const service of SERVICE_NAMES) {
      const doc = (await (await fetch(`${stack.services[service].url}/api/openapi.json`)).json()) as OpenApi;
      const found = routesOf(service, doc);
      routes.push(...found.routes);
      publicButShouldNot.push(...found.publicButShouldNot);
    }
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('finds the protected routes of all four services in their running documents; no write or admin route is public', () => {
    expect(publicButShouldNot).toEqual([]);
    for (const service of SERVICE_NAMES) expect(routes.filter((r) => r.service === service).length).toBeGreaterThan(0);
    // today's routes at least; later ones join by themselves
    expect(routes.length).toBeGreaterThanOrEqual(Object.keys(RIGHT_REQUESTS).length);
  });

  it('answers 401, 401, 403, 403 and 2xx for no token, an unknown token, the wrong role, the wrong source and the right token', async () => {
    const failures: string[] = [];
    const withoutKnownRequest: string[] = [];
    let cells = 0;
    for (const route of routes) {
      const key = `${route.method} ${route.path}`;
      const name = `${route.service} ${key}`;
      const build = RIGHT_REQUESTS[key];
      // the wrong cells send the same request as the right one: only the token differs
      const request = build ? await build(ctx, route) : { path: fill(route.path), ...(route.method === 'GET' ? {} : { body: {} }) };
      const expectStatus = async (cell: string, token: string | undefined, ok: (status: number) => boolean, want: string) => {
        cells++;
        const { status } = await ctx.call(route, request, token);
        if (!ok(status)) failures.push(`${name} with ${cell}: ${status}, expected ${want}`);
      };
      await expectStatus('no token', undefined, (s) => s === 401, '401');
      await expectStatus('an unknown token', random(), (s) => s === 401, '401');
      await expectStatus(`a token with none of the roles ${keyOf(route.roles)}`, wrongRole[keyOf(route.roles)], (s) => s === 403, '403');
      if (route.sourceScoped) await expectStatus('an ingest token of another source', wrongSource, (s) => s === 403, '403');
      if (build) {
        // the same request: the wrong tokens never reached the handler, so this is its first effect
        cells++;
        const { status, json } = await ctx.call(route, request, right[route.roles[0]]);
        if (status < 200 || status > 299) failures.push(`${name} with the right token: ${status} ${JSON.stringify(json).slice(0, 300)}`);
      } else {
        withoutKnownRequest.push(name);
        await expectStatus('the right token', right[route.roles[0]], (s) => s !== 401 && s !== 403 && s < 500, 'past authentication');
      }
      // every other accepted role gets past authentication too (each is enough on its own)
      for (const role of route.roles.slice(1))
        await expectStatus(`a token with only the role ${role}`, right[role], (s) => s !== 401 && s !== 403 && s < 500, 'past authentication');
    }
    if (withoutKnownRequest.length) console.warn(`auth matrix: right token checked for passing authentication only (no known request): ${withoutKnownRequest.join(', ')}`);
    console.log(`auth matrix: ${routes.length} routes, ${cells} cells`);
    expect(failures).toEqual([]);
  });
});
