import { LogCursor } from './log-cursor';

describe('LogCursor', () => {
  it('looks up every new number once it is found, and none written by this instance', () => {
    const cursor = new LogCursor(60_000);
    cursor.start(0, [], 0);
    cursor.wrote([2]);
    expect(cursor.plan(3, 0, 100).lookUp).toEqual([1, 3]);
    cursor.found(1);
    cursor.found(3);
    expect(cursor.caughtUp(3)).toBe(true);
    expect(cursor.plan(3, 10, 100).lookUp).toEqual([]);
  });

  it('starts after the loaded documents and keeps looking for the numbers the load did not find', () => {
    const cursor = new LogCursor(60_000);
    cursor.start(5, [1, 2, 4, 5, 7], 0);
    expect(cursor.caughtUp(5)).toBe(false);
    expect(cursor.plan(7, 0, 100).lookUp).toEqual([3, 6, 7]);
  });

  it('keeps an unwritten number open until the timeout, then gives it up', () => {
    const cursor = new LogCursor(1000);
    cursor.start(0, [], 0);
    expect(cursor.plan(2, 0, 100).lookUp).toEqual([1, 2]);
    cursor.found(2);
    expect(cursor.plan(2, 500, 100)).toEqual({ lookUp: [1], abandoned: [] });
    expect(cursor.plan(2, 1500, 100)).toEqual({ lookUp: [], abandoned: [1] });
    expect(cursor.caughtUp(2)).toBe(true);
  });

  it('forgets an open number this instance wrote itself', () => {
    const cursor = new LogCursor(1000);
    cursor.start(0, [], 0);
    expect(cursor.plan(1, 0, 100).lookUp).toEqual([1]);
    cursor.wrote([1]);
    expect(cursor.plan(1, 10, 100).lookUp).toEqual([]);
  });

  it('catches up over several polls when more numbers are new than one poll may look up', () => {
    const cursor = new LogCursor(60_000);
    cursor.start(0, [], 0);
    const seen: number[] = [];
    for (let poll = 0; poll < 4 && !cursor.caughtUp(10); poll++) {
      const { lookUp } = cursor.plan(10, poll, 4);
      expect(lookUp.length).toBeLessThanOrEqual(4);
      for (const n of lookUp) {
        seen.push(n);
        cursor.found(n);
      }
    }
    expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });
});
