/**
 * Thrown by a handler when a dependency (database, broker, cache that must be written) is unavailable.
 * The consumer then pauses and retries the same batch without committing: this is not a poison message.
 */
export class DependencyUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DependencyUnavailableError';
  }
}

const TRANSIENT_NAMES = new Set([
  'DependencyUnavailableError',
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoServerSelectionError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
  'PoolClearedError',
  'PoolClearedOnNetworkError',
  'KafkaJSConnectionError',
  'KafkaJSConnectionClosedError',
  'KafkaJSRequestTimeoutError',
  'KafkaJSBrokerNotFound',
  'KafkaJSNumberOfRetriesExceeded',
  'KafkaJSNonRetriableError',
]);
const TRANSIENT_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH']);

/**
 * Kafka's non-retriable answers that concern the produced message itself, not the broker: retrying
 * them never succeeds, so they must not count as an outage (the consumer would pause on the same batch
 * forever). Other non-retriable answers (authorization, an unknown topic) stay dependency failures: a
 * configuration problem that every message would hit, for an operator to fix.
 */
const MESSAGE_REJECTIONS = new Set([
  'MESSAGE_TOO_LARGE',
  'RECORD_LIST_TOO_LARGE',
  'INVALID_RECORD',
  'CORRUPT_MESSAGE',
  'INVALID_TIMESTAMP',
]);

/** Whether Kafka refused the produced message itself (anywhere in the cause chain): a dead letter, not an outage. */
export function isMessageRejection(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const { name, type, retriable } = e as { name?: string; type?: string; retriable?: boolean };
    if (name === 'KafkaJSProtocolError' && retriable === false && type && MESSAGE_REJECTIONS.has(type)) return true;
  }
  return false;
}

/**
 * Whether an error means "a dependency is down" rather than "this message is bad". Decided by error
 * names and codes so that this library needs neither mongoose nor ioredis.
 */
export function isDependencyFailure(error: unknown): boolean {
  if (isMessageRejection(error)) return false;
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const { name, code } = e as { name?: string; code?: string };
    if (name && TRANSIENT_NAMES.has(name)) return true;
    if (code && TRANSIENT_CODES.has(code)) return true;
  }
  return false;
}

/** An error's message cut to a header-sized length (handlers' messages never carry record values). */
export function describeError(error: unknown): string {
  const e = error as { name?: string; message?: string };
  const text = `${e?.name ?? 'Error'}: ${e?.message ?? String(error)}`;
  return text.length > 500 ? text.slice(0, 497) + '...' : text;
}
