import { recomputeDecision, TopicLag } from './recompute-timing';

describe('recompute decision', () => {
  const settings = { quietMs: 100, maxDeferMs: 60_000 };
  const decide = (lakeLag: number, sinceFirstChangeMs: number, sinceLastChangeMs: number) =>
    recomputeDecision({ lakeLag, sinceFirstChangeMs, sinceLastChangeMs }, settings);

  it('caught up: runs after the quiet time since the last change', () => {
    expect(decide(0, 30, 30)).toEqual({ run: false, waitMs: 70 });
    expect(decide(0, 100, 100)).toEqual({ run: true, trigger: 'quiet' });
    // a change 40 ms ago starts the quiet time again, however old the first one is
    expect(decide(0, 5_000, 40)).toEqual({ run: false, waitMs: 60 });
    expect(decide(0, 5_000, 40.2)).toEqual({ run: false, waitMs: 60 }); // whole milliseconds, never early
  });

  it('lagging: waits for the consumer to catch up, however quiet, until the bound', () => {
    expect(decide(1, 10, 10)).toEqual({ run: false, waitMs: 59_990 });
    expect(decide(25_000, 30_000, 5_000)).toEqual({ run: false, waitMs: 30_000 });
    expect(decide(25_000, 60_000, 0)).toEqual({ run: true, trigger: 'max-defer' });
    expect(decide(3, 75_000, 20)).toEqual({ run: true, trigger: 'max-defer' });
  });

  it('the bound holds during an endless stream too: changes closer together than the quiet time', () => {
    expect(decide(0, 59_950, 50)).toEqual({ run: false, waitMs: 50 });
    expect(decide(0, 59_990, 10)).toEqual({ run: false, waitMs: 10 }); // the bound comes before the quiet
    expect(decide(0, 60_000, 10)).toEqual({ run: true, trigger: 'max-defer' });
  });

  it('a quiet time of 0 runs at once when caught up; a bound below the quiet time wins', () => {
    expect(recomputeDecision({ lakeLag: 0, sinceFirstChangeMs: 0, sinceLastChangeMs: 0 }, { quietMs: 0, maxDeferMs: 1000 })).toEqual({
      run: true,
      trigger: 'quiet',
    });
    expect(recomputeDecision({ lakeLag: 0, sinceFirstChangeMs: 0, sinceLastChangeMs: 0 }, { quietMs: 5000, maxDeferMs: 1000 })).toEqual({
      run: false,
      waitMs: 1000,
    });
  });
});

describe('topic lag', () => {
  it('is what the fetched batches left behind the high watermark, over every partition', () => {
    const lag = new TopicLag();
    expect(lag.behind).toBe(0);
    lag.fetched(0, 5000, 0); // a batch of 0…1999 while the partition holds 0…4999
    lag.fetched(1, 300, 100);
    expect(lag.behind).toBe(5000 + 200);
    lag.processed(0, 1999);
    lag.processed(1, 299);
    expect(lag.behind).toBe(3000);
    lag.fetched(0, 5200, 2000); // meanwhile 200 more arrived
    expect(lag.behind).toBe(3200);
    lag.processed(0, 5199);
    expect(lag.behind).toBe(0);
  });

  it('a new batch sets the position (a replay starts earlier); a processed batch never moves it back', () => {
    const lag = new TopicLag();
    lag.fetched(2, 10, 9);
    lag.processed(2, 9);
    lag.processed(2, 3);
    expect(lag.behind).toBe(0);
    lag.fetched(2, 10, 0);
    expect(lag.behind).toBe(10);
    lag.processed(7, 100); // a partition never fetched: nothing to say about it
    expect(lag.behind).toBe(10);
    lag.fetched(1, 50, 0);
    lag.retain([1, 3]); // partition 2 went to another consumer
    expect(lag.behind).toBe(50);
    lag.reset();
    expect(lag.behind).toBe(0);
  });
});
