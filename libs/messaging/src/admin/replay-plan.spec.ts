import { parseReplayStart, replayProgress } from './replay-plan';

describe('replay plan', () => {
  it('parses the three forms of a start', () => {
    expect(parseReplayStart('earliest')).toEqual({ kind: 'earliest' });
    expect(parseReplayStart('2026-11-01T00:00:00Z')).toEqual({ kind: 'timestamp', at: '2026-11-01T00:00:00.000Z' });
    expect(parseReplayStart({ 0: '5', 3: 10 })).toEqual({ kind: 'offsets', offsets: { 0: '5', 3: '10' } });
  });
  it('rejects anything else with a reason', () => {
    expect(() => parseReplayStart('yesterday')).toThrow(/earliest/);
    expect(() => parseReplayStart({ a: 1 })).toThrow(/partition numbers/);
    expect(() => parseReplayStart({})).toThrow(/at least one/);
    expect(() => parseReplayStart(5)).toThrow();
  });
  it('measures progress between target and the end seen at the start', () => {
    const positions = [
      { partition: 0, target: '0', end: '10', committedBefore: '10' },
      { partition: 1, target: '5', end: '5', committedBefore: '5' },
    ];
    expect(replayProgress(positions, new Map([[0, '4']]))).toEqual({ done: 4, total: 10, caughtUp: false });
    expect(replayProgress(positions, new Map([[0, '12'], [1, '7']]))).toEqual({ done: 10, total: 10, caughtUp: true });
  });
});
