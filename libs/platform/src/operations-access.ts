import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { frameworkProblem, PROBLEM_CONTENT_TYPE } from './framework-problem';

const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
const BEARER = /^Bearer[ ]+([^\s]+)[ ]*$/i;

/** Whether a request presents the metrics token (compared by hash: no timing by matching prefix). */
export function presentsToken(authorization: string | string[] | undefined, expected: Buffer): boolean {
  const header = Array.isArray(authorization) ? authorization[0] : authorization;
  const match = header === undefined ? null : BEARER.exec(header.trim());
  return match !== null && timingSafeEqual(digest(match[1]), expected);
}

/**
 * /metrics and the readiness details are not public (issue 11, hole 9): with METRICS_TOKEN set,
 * `/metrics` needs `Authorization: Bearer <METRICS_TOKEN>` (401 problem+json otherwise), and
 * `/health/ready` answers only its status (`{"status":"ok"|"error"}`, the same 200/503) unless the
 * token comes with it — probes keep working, which dependency is down and why is for operators.
 */
export function guardOperationsEndpoints(fastify: FastifyInstance, token: string): void {
  const expected = digest(token);
  const pathOf = (request: FastifyRequest) => request.url.split('?')[0];
  fastify.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    if (pathOf(request) !== '/metrics' || presentsToken(request.headers.authorization, expected)) return;
    reply
      .status(401)
      .header('content-type', PROBLEM_CONTENT_TYPE)
      .send({ ...frameworkProblem(401), detail: 'the metrics need the bearer token METRICS_TOKEN', instance: '/metrics' });
    return reply;
  });
  fastify.addHook('onSend', async (request: FastifyRequest, _reply: FastifyReply, payload: unknown) => {
    if (pathOf(request) !== '/health/ready' || typeof payload !== 'string') return payload;
    if (presentsToken(request.headers.authorization, expected)) return payload;
    try {
      const { status } = JSON.parse(payload) as { status?: unknown };
      return JSON.stringify({ status: typeof status === 'string' ? status : 'error' });
    } catch {
      return JSON.stringify({ status: 'error' });
    }
  });
}
