import { problem } from '@sozialmonitor/platform';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CacheOutcome } from '../application/value-reader';
import { etagOf, matchesIfNoneMatch, negotiate } from '../domain/http-caching';
import type { ParameterError } from '../domain/query-parameters';
import { chooseEncoding, COMPRESS_FROM_BYTES, type PreparedAnswer, type PreparedAnswers } from './prepared-answers';

/** Cache-Control of the answers (README "HTTP caching"). */
export const CACHE_CONTROL = {
  /** Regions change with a deployment. */
  reference: 'public, max-age=3600',
  /** The catalogue changes when an administrator activates a version: revalidated (ETag) on every use. */
  catalogue: 'public, no-cache',
  /** Current values may change any second: stored, but revalidated (ETag) on every use. */
  current: 'public, no-cache',
  /** Values at a past `asOf` or a month end change rarely. */
  stable: 'public, max-age=300',
  /** Answers only an analyst may see must never be kept by a shared cache. */
  restricted: 'private, no-store',
} as const;

export interface Representation {
  readonly json: unknown;
  /** Offered when the resource has a table form (`Accept: text/csv`). */
  readonly csv?: () => string;
  readonly cacheControl: string;
  readonly cache?: CacheOutcome;
}

const JSON_TYPE = 'application/json; charset=utf-8';
const CSV_TYPE = 'text/csv; charset=utf-8; header=present';

/** Content negotiation, ETag / If-None-Match (304), Cache-Control; then sends. */
export function respond(request: FastifyRequest, reply: FastifyReply, rep: Representation): FastifyReply {
  return send(request, reply, prepare(request, rep), rep.cache);
}

/**
 * Like `respond`, for an answer whose `key` names everything it depends on (null: nothing to reuse):
 * the bytes, ETag and compressed forms prepared for the same key and `Accept` are sent again as they are.
 */
export async function respondPrepared(
  request: FastifyRequest,
  reply: FastifyReply,
  answers: PreparedAnswers,
  key: string | null,
  build: () => Promise<Representation>,
): Promise<FastifyReply> {
  if (key === null) return respond(request, reply, await build());
  const fullKey = `${request.headers.accept ?? ''}\u0000${key}`;
  const found = answers.get(fullKey);
  if (found) return send(request, reply, found, 'hit', answers);
  const rep = await build();
  const prepared = prepare(request, rep);
  answers.set(fullKey, prepared);
  return send(request, reply, prepared, rep.cache, answers);
}

function prepare(request: FastifyRequest, rep: Representation): PreparedAnswer {
  const offers = rep.csv ? (['application/json', 'text/csv'] as const) : (['application/json'] as const);
  const chosen = negotiate(request.headers.accept, offers);
  if (!chosen) throw problem(406, 'Not Acceptable', `this resource is available as ${offers.join(' or ')}`);
  const text = chosen === 'text/csv' ? rep.csv!() : JSON.stringify(rep.json);
  const contentType = chosen === 'text/csv' ? CSV_TYPE : JSON_TYPE;
  return { body: Buffer.from(text, 'utf8'), etag: etagOf(text, contentType), contentType, cacheControl: rep.cacheControl, encoded: new Map() };
}

/** Prepared answers (`answers` given) are sent compressed when the client accepts it. */
function send(request: FastifyRequest, reply: FastifyReply, answer: PreparedAnswer, cache?: CacheOutcome, answers?: PreparedAnswers): FastifyReply {
  const encoding = answers && answer.body.length >= COMPRESS_FROM_BYTES ? chooseEncoding(request.headers['accept-encoding']) : null;
  // each encoding is a representation of its own: its own strong tag
  const etag = encoding ? `${answer.etag.slice(0, -1)}-${encoding}"` : answer.etag;
  reply.header('ETag', etag).header('Cache-Control', answer.cacheControl).header('Vary', answers ? 'Accept, Accept-Encoding' : 'Accept');
  if (cache) reply.header('X-Cache', cache);
  if (matchesIfNoneMatch(request.headers['if-none-match'], etag)) return reply.status(304).send();
  reply.status(200).header('Content-Type', answer.contentType);
  if (!encoding) return reply.send(answer.body);
  return reply.header('Content-Encoding', encoding).send(answers!.encodedBody(answer, encoding));
}

/** 400 naming every bad parameter (RFC 9457 with `errors`). */
export function badParameters(errors: readonly ParameterError[]) {
  return problem(400, 'Invalid query parameter', errors.map((e) => `${e.parameter}: ${e.message}`).join('; '), {
    errors: [...errors],
  });
}

/** An id from the path, echoed in a 404 only when it looks like an id (never arbitrary input). */
export function echo(id: string): string {
  return /^[A-Za-z0-9_-]{1,64}$/.test(id) ? `'${id}'` : 'the given id';
}
