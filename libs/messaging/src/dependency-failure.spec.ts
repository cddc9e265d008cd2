import { DependencyUnavailableError, describeError, isDependencyFailure } from './dependency-failure';

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
  it('cuts long messages', () => {
    expect(describeError(new Error('x'.repeat(2000))).length).toBe(500);
  });
});
