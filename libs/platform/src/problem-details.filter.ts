import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { frameworkProblem, type ProblemDetails } from './framework-problem';
import { isDependencyFailure } from '@sozialmonitor/messaging';

export type { ProblemDetails } from './framework-problem';

/** Throw this to answer with a specific problem document. */
export class ProblemException extends HttpException {
  constructor(readonly problem: ProblemDetails) {
    super(problem, problem.status);
  }
}

export const problem = (status: number, title: string, detail?: string, extra: Partial<ProblemDetails> = {}) =>
  new ProblemException({
    type: `https://sozialmonitor.example/problems/${slug(title)}`,
    title,
    status,
    detail,
    ...extra,
  });

const slug = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

/** How long a client waits before trying again when a dependency is down. */
export const DEPENDENCY_RETRY_AFTER_SECONDS = 5;

/**
 * Every HTTP error as `application/problem+json`. Unknown errors become a 500 without internals
 * (their message may carry data; it is logged by name only).
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly log = new Logger('ProblemDetails');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const ctx = host.switchToHttp();
    const reply = ctx.getResponse<{
      status(c: number): unknown;
      header(k: string, v: string): unknown;
      send(b: unknown): unknown;
    }>();
    const request = ctx.getRequest<{ url: string }>();
    const body = this.toProblem(exception);
    body.instance ??= request.url?.split('?')[0];
    reply.status(body.status);
    // a problem with `retryAfter` (seconds: 429, 503) tells the client when to try again (RFC 9110 §10.2.3)
    if (typeof body.retryAfter === 'number')
      reply.header('retry-after', String(Math.max(1, Math.ceil(body.retryAfter))));
    reply.header('content-type', 'application/problem+json; charset=utf-8');
    reply.send(body);
  }

  private toProblem(exception: unknown): ProblemDetails {
    if (exception instanceof ProblemException) return { ...exception.problem };
    // errors of Fastify itself and its plugins (rate limit, body parsers): a status, a code, fixed texts
    const framework = exception as { statusCode?: unknown; code?: unknown; retryAfter?: unknown };
    if (
      !(exception instanceof HttpException) &&
      typeof framework?.statusCode === 'number' &&
      framework.statusCode >= 400
    )
      return frameworkProblem(
        framework.statusCode,
        typeof framework.code === 'string' ? framework.code : undefined,
        typeof framework.retryAfter === 'number' ? framework.retryAfter : undefined,
      );
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse();
      const message = typeof response === 'string' ? response : (response as { message?: unknown }).message;
      const detail = Array.isArray(message)
        ? message.join('; ')
        : typeof message === 'string'
          ? message
          : exception.message;
      const title = HttpStatus[status]?.toLowerCase().replace(/_/g, ' ') ?? 'error';
      return {
        type: `https://sozialmonitor.example/problems/${slug(title)}`,
        title: title[0].toUpperCase() + title.slice(1),
        status,
        detail,
      };
    }
    // a database, broker or cache that is down is the service's state, not a bug: 503, try again
    if (isDependencyFailure(exception)) {
      this.log.warn(`dependency unavailable: ${(exception as Error)?.name ?? 'error'}`);
      return {
        type: 'https://sozialmonitor.example/problems/service-unavailable',
        title: 'Service Unavailable',
        status: 503,
        detail: 'a dependency of the service (database, broker or cache) is unavailable: try again later',
        retryAfter: DEPENDENCY_RETRY_AFTER_SECONDS,
      };
    }
    this.log.error(
      `unhandled ${(exception as Error)?.name ?? 'error'}`,
      (exception as Error)?.stack?.split('\n').slice(1, 4).join(' '),
    );
    return {
      type: 'about:blank',
      title: 'Internal Server Error',
      status: 500,
      detail: 'An unexpected error occurred.',
    };
  }
}
