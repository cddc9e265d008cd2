import { STATUS_CODES } from 'node:http';

/** An RFC 9457 problem document. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  errors?: unknown[];
  [extension: string]: unknown;
}

const PROBLEM_TYPE = 'https://sozialmonitor.example/problems/';
export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

/**
 * The problem document of an error raised by the HTTP framework itself (outside Nest's filters: bad
 * percent-encoding, a body that is not JSON, a request over the rate or too slow). Details are fixed
 * texts by status and code: a parser's own message may quote the body.
 */
export function frameworkProblem(status: number, code?: string, retryAfter?: number): ProblemDetails {
  const safe = status >= 400 && status < 600 ? status : 500;
  const title = STATUS_CODES[safe] ?? 'Error';
  const details: Record<string, string> = {
    FST_ERR_BAD_URL: 'the URL is not valid (bad percent-encoding)',
    FST_ERR_CTP_INVALID_MEDIA_TYPE: 'the content type is not supported here',
    FST_ERR_CTP_BODY_TOO_LARGE: 'the body is too large',
    FST_ERR_CTP_EMPTY_JSON_BODY: 'the body is empty but the content type is application/json',
    FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'the Content-Length does not match the body',
    FST_ERR_CTP_INVALID_JSON_BODY: 'the body is not valid JSON',
  };
  const byStatus: Record<number, string> = {
    400: 'the request could not be read',
    401: 'a valid bearer token is required',
    408: 'the request did not arrive in time',
    413: 'the request is too large',
    414: 'the URL is too long',
    415: 'the content type is not supported here',
    429: 'too many requests from this client; try again later',
    431: 'the request headers are too large',
  };
  const detail = (code && details[code]) ?? byStatus[safe] ?? (safe >= 500 ? 'An unexpected error occurred.' : title);
  return {
    type: `${PROBLEM_TYPE}${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`,
    title,
    status: safe,
    detail,
    ...(retryAfter !== undefined ? { retryAfter } : {}),
  };
}
