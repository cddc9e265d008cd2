import type { FastifyInstance } from 'fastify';

interface RouteEntry {
  readonly pattern: RegExp;
  /** No parameter, no wildcard: `/sources/validate`, which wins over `/sources/:name` for its path. */
  readonly exact?: boolean;
  readonly methods: Set<string>;
}

/** A Fastify route URL (`/api/v1/indicators/:id/values`, `/downloads/values.:format`, `/assets/*`) as a regular expression over request paths. */
export function routePattern(url: string): RegExp {
  const parts = url.split('/').map((segment) => {
    if (segment === '*') return '.*';
    // a parameter may fill a whole segment (`:id`) or part of one (`values.:format`)
    return segment
      .split(/(:[A-Za-z0-9_]+)/)
      .map((piece) => (piece.startsWith(':') ? '[^/]+' : piece.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
      .join('');
  });
  return new RegExp(`^${parts.join('/')}$`);
}

/**
 * The methods the registered routes serve for a request path, or none when no route has that path. A
 * path that names a route exactly is that route's alone (`POST /sources/validate` is an action, not a
 * source called "validate" that `GET /sources/:name` would look up and not find).
 */
export function allowedMethods(routes: Iterable<RouteEntry>, path: string): string[] {
  const matching = [...routes].filter((route) => route.pattern.test(path));
  const exact = matching.filter((route) => route.exact);
  const allowed = new Set<string>();
  for (const route of exact.length > 0 ? exact : matching) for (const m of route.methods) allowed.add(m);
  return [...allowed].sort();
}

/**
 * RFC 9110 §15.5.6: a request whose path exists but not with its method is answered `405` with an
 * `Allow` header listing the methods the path serves (a problem document), not `404`. Checked in
 * `onRequest`, before any body is read (a `QUERY` without a content type must not end up a 400).
 * Register before the routes are (it collects them with `onRoute`).
 */
export function answerUnservedMethodsWith405(fastify: FastifyInstance): void {
  const routes = new Map<string, RouteEntry>();
  fastify.addHook('onRoute', (route) => {
    const entry = routes.get(route.url) ?? {
      pattern: routePattern(route.url),
      exact: !/[:*]/.test(route.url),
      methods: new Set<string>(),
    };
    for (const method of [route.method].flat()) entry.methods.add(method.toUpperCase());
    routes.set(route.url, entry);
  });
  fastify.addHook('onRequest', (request, reply, done) => {
    if (!request.is404) return done();
    const path = request.url.split('?')[0];
    const allowed = allowedMethods(routes.values(), path);
    if (allowed.length === 0) return done();
    void reply
      .code(405)
      .header('allow', allowed.join(', '))
      .header('content-type', 'application/problem+json; charset=utf-8')
      .send({
        type: 'https://sozialmonitor.example/problems/method-not-allowed',
        title: 'Method Not Allowed',
        status: 405,
        detail: `${request.method} is not served here; this path serves ${allowed.join(', ')}`,
        instance: path,
      });
  });
}
