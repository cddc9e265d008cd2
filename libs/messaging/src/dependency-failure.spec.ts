import { KafkaJSNonRetriableError, KafkaJSProtocolError } from 'kafkajs';
import { DependencyUnavailableError, describeError, isDependencyFailure, isMessageRejection } from './dependency-failure';

describe('isDependencyFailure', () => {
  it('recognizes driver errors by name, code and cause', () => {
    expect(isDependencyFailure(Object.assign(new Error('x'), { name: 'MongoServerSelectionError' }))).toBe(true);
    expect(isDependencyFailure(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(isDependencyFailure(new Error('wrapped', { cause: new DependencyUnavailableError('db down') }))).toBe(true);
  });
  it('treats everything else as a problem of the message', () => {
    expect(isDependencyFailure(new TypeError('bad field'))).toBe(false);
    expect(isDependencyFailure(undefined)).toBe(false);
  });
  it('takes a produced message that Kafka refuses for good as a problem of the message, not an outage (issue 11)', () => {
    // as kafkajs' retrier wraps a non-retriable protocol error of the produce request
    const refused = (type: string, retriable = false) =>
      new KafkaJSProtocolError({ type, code: 10, retriable, message: `broker says ${type}` } as never);
    const wrapped = (e: Error) => Object.assign(new KafkaJSNonRetriableError(e), { cause: e });
    for (const type of ['MESSAGE_TOO_LARGE', 'RECORD_LIST_TOO_LARGE', 'INVALID_RECORD', 'CORRUPT_MESSAGE', 'INVALID_TIMESTAMP']) {
      expect(isMessageRejection(wrapped(refused(type)))).toBe(true);
      expect(isDependencyFailure(wrapped(refused(type)))).toBe(false);
      expect(isDependencyFailure(new Error('publish failed', { cause: wrapped(refused(type)) }))).toBe(false);
    }
    // a broker that refuses everyone (authorization, an unknown topic) is still an outage for an operator
    expect(isDependencyFailure(wrapped(refused('TOPIC_AUTHORIZATION_FAILED')))).toBe(true);
    expect(isDependencyFailure(wrapped(refused('UNKNOWN_TOPIC_OR_PARTITION', true)))).toBe(true);
  });
  it('cuts long messages', () => {
    expect(describeError(new Error('x'.repeat(2000))).length).toBe(500);
  });
});
