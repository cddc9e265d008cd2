import rateLimit from '@fastify/rate-limit';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { ApiTokenRegistry } from './auth/api-tokens';
import { authenticate } from './auth/authorization';
import { guardOperationsEndpoints } from './operations-access';
import { frameworkProblem, PROBLEM_CONTENT_TYPE, type ProblemDetails } from './framework-problem';

/**
 * What every HTTP server of the system is bounded by (api.md, "Internal endpoints … limits"): socket
 * and request timeouts, a connection cap and a per-client request rate. From the environment
 * (`BaseEnvironment`'s HTTP_* variables) through `httpLimitsOf`.
 */
export interface HttpLimits {
  /** A socket without traffic for this long is closed (a dripped body, an idle keep-alive). */
  readonly connectionTimeoutMs: number;
  /** The whole request, body included, must arrive within this time (408 otherwise). */
  readonly requestTimeoutMs: number;
  /** Open connections per instance; more are refused by the server. */
  readonly maxConnections: number;
  /** Requests per client (IP address) and minute; more are answered 429 with Retry-After. */
  readonly rateLimitPerMinute: number;
  /** Take the client address from X-Forwarded-For (only behind a proxy that sets it). */
  readonly trustProxy: boolean;
  /** METRICS_TOKEN: when set, /metrics and the readiness details need it (operations-access.ts). */
  readonly metricsToken?: string;
}

export const DEFAULT_HTTP_LIMITS: HttpLimits = {
  connectionTimeoutMs: 60_000,
  requestTimeoutMs: 600_000,
  maxConnections: 1000,
  rateLimitPerMinute: 6000,
  trustProxy: false,
};

/** The environment variables of `BaseEnvironment` that `httpLimitsOf` reads. */
export interface HttpLimitsEnvironment {
  HTTP_CONNECTION_TIMEOUT_MS: number;
  HTTP_REQUEST_TIMEOUT_MS: number;
  HTTP_MAX_CONNECTIONS: number;
  HTTP_RATE_LIMIT_PER_MINUTE: number;
  HTTP_TRUST_PROXY: boolean;
  METRICS_TOKEN?: string;
}

export function httpLimitsOf(env: HttpLimitsEnvironment): HttpLimits {
  return {
    connectionTimeoutMs: env.HTTP_CONNECTION_TIMEOUT_MS,
    requestTimeoutMs: env.HTTP_REQUEST_TIMEOUT_MS,
    maxConnections: env.HTTP_MAX_CONNECTIONS,
    rateLimitPerMinute: env.HTTP_RATE_LIMIT_PER_MINUTE,
    trustProxy: env.HTTP_TRUST_PROXY,
    ...(env.METRICS_TOKEN ? { metricsToken: env.METRICS_TOKEN } : {}),
  };
}

function sendProblem(reply: FastifyReply, request: FastifyRequest, problem: ProblemDetails): void {
  if (typeof problem.retryAfter === 'number') reply.header('retry-after', String(problem.retryAfter));
  reply
    .status(problem.status)
    .header('content-type', PROBLEM_CONTENT_TYPE)
    .send({ ...problem, instance: request.url?.split('?')[0] });
}

/** Fastify server options: timeouts, the proxy rule, and problem+json for router and connection errors. */
export function fastifyLimitOptions(limits: HttpLimits): FastifyServerOptions {
  return {
    connectionTimeout: limits.connectionTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    trustProxy: limits.trustProxy,
    // router errors (FST_ERR_BAD_URL: `/api/v1/%E0%A4%A`) would be plain JSON
    frameworkErrors: (error, request, reply) =>
      sendProblem(reply, request, frameworkProblem((error as FastifyError).statusCode ?? 400, error.code)),
    // errors of the HTTP parser before a request exists (a header or URL over Node's limit, garbage)
    clientErrorHandler: (error: Error & { code?: string }, socket: Socket) => {
      if (!socket.writable) return socket.destroy();
      const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
      const body = JSON.stringify(frameworkProblem(status));
      socket.end(
        `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}\r\n` +
          `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      );
    },
  };
}

const METHODS_WITH_BODY = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Installs on a created app (before `listen`): the per-client rate limit (429 problem+json with
 * Retry-After; health probes exempt — errors of Fastify hooks reach Nest's error handler and so the
 * ProblemDetailsFilter, which renders them with `frameworkProblem`), the connection cap, and the
 * rule that a request with a body and without a valid token is answered 401 before its body is read
 * (an `onRequest` hook: Fastify parses bodies before Nest's guards run). Roles and sources are still
 * checked by the route's guard (403).
 */
/** The token registry when the service has AuthModule; a service without it has no routes that need a token. */
function tokenRegistryOf(app: NestFastifyApplication): ApiTokenRegistry | undefined {
  try {
    return app.get(ApiTokenRegistry, { strict: false });
  } catch {
    return undefined; // Nest 11 throws instead of answering undefined for a provider no module has
  }
}

export async function applyHttpLimits(app: NestFastifyApplication, limits: HttpLimits): Promise<void> {
  // Nest's adapter carries its own copy of fastify 5 (types differ by minor version, the API does not)
  const fastify = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;
  const registry = tokenRegistryOf(app);
  (app.getHttpServer() as { maxConnections?: number }).maxConnections = limits.maxConnections;
  await fastify.register(rateLimit, {
    global: true,
    max: limits.rateLimitPerMinute,
    timeWindow: 60_000,
    allowList: (request) => request.url.startsWith('/health/'),
    errorResponseBuilder: (_request, context) =>
      Object.assign(new Error('rate limit exceeded'), {
        statusCode: 429,
        code: 'SM_RATE_LIMITED',
        retryAfter: Math.max(1, Math.ceil(context.ttl / 1000)),
      }),
  });
  if (limits.metricsToken) guardOperationsEndpoints(fastify, limits.metricsToken);
  if (!registry) return;
  const refuseUnauthenticated = async (request: FastifyRequest, reply: FastifyReply) => {
    const auth = authenticate(registry, request.headers.authorization);
    if (auth.kind === 'principal') return;
    reply.header('connection', 'close'); // the unread body is not waited for
    sendProblem(reply, request, {
      ...frameworkProblem(401),
      detail: auth.kind === 'anonymous' ? 'a bearer token is required' : 'the bearer token is not valid',
    });
    return reply;
  };
  // per route, after the rate limit's own onRequest hook (added by its onRoute hook, registered first)
  fastify.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (!methods.some((m) => METHODS_WITH_BODY.has(m))) return;
    const existing =
      route.onRequest === undefined ? [] : Array.isArray(route.onRequest) ? route.onRequest : [route.onRequest];
    route.onRequest = [...existing, refuseUnauthenticated] as typeof route.onRequest;
  });
}
