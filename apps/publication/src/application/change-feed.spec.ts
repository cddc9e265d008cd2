import { ChangeChannel } from './ports/change-channel';
import { ChangeFeed, type PublishedChange } from './change-feed';

class FakeChannel extends ChangeChannel {
  listener?: (message: string) => void;
  published: string[] = [];
  onMessage(listener: (message: string) => void): void {
    this.listener = listener;
  }
  publish(message: string): void {
    this.published.push(message);
  }
}

const change = (record: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) => ({
  id: 'Zm9vYmFyYmF6cXV4LWhhc2gtb2YtdGhlLWVudHJ5',
  publishedAt: '2026-11-25T10:00:00.000Z',
  record: {
    indicatorId: 'births_per_1000',
    regionCode: '01056015',
    period: '2023',
    value: 8.41,
    suppressed: false,
    comparison: { county: 8.12, state: 7.9, germany: 8.2 },
    revised: false,
    indicatorVersion: 1,
    ...record,
  },
  ...extra,
});

describe('ChangeFeed re-validates every change before fan-out (issue 11, hole 8)', () => {
  function feed() {
    const channel = new FakeChannel();
    const f = new ChangeFeed(channel);
    const seen: PublishedChange[] = [];
    f.subscribe((c) => seen.push(c));
    const fromRedis = (message: unknown) => channel.listener!(JSON.stringify(message));
    return { seen, fromRedis };
  }

  it('passes a published change from another instance on as it is', () => {
    const { seen, fromRedis } = feed();
    fromRedis({ origin: 'other', changes: [change()] });
    expect(seen).toEqual([change()]);
  });

  it('drops what is no published value, and strips fields beyond the published form', () => {
    const { seen, fromRedis } = feed();
    fromRedis({
      origin: 'other',
      changes: [
        change({ value: '<script>alert(1)</script>' }),
        change({ regionCode: '99999999' }),
        change({ indicatorId: 'Robert'.repeat(20) }),
        change({}, { id: 'id with spaces\nevent: x' }),
        'a text',
        change({ numerator: 2, denominator: 3, personId: 'p-4711' }, { note: 'injected' }),
        change({ suppressed: true, value: 2 }),
      ],
    });
    expect(seen).toHaveLength(2);
    expect(seen[0]).toEqual(change());
    expect(JSON.stringify(seen)).not.toMatch(/numerator|p-4711|injected/);
    // a suppressed value is null whatever arrived (privacy.md §3)
    expect(seen[1].record).toMatchObject({ suppressed: true, value: null, reason: 'primary' });
  });

  it('ignores a message whose changes are no list, and keeps working', () => {
    const { seen, fromRedis } = feed();
    fromRedis({ origin: 'other', changes: { 0: change() } });
    fromRedis({ origin: 'other', changes: [change()] });
    expect(seen).toHaveLength(1);
  });
});
