import { encodeCloudEvent } from './cloud-event-codec';
import { requestsOf } from './event-publisher';

const message = (i: number, bytes: number) => ({
  i,
  message: encodeCloudEvent({
    topic: 't',
    key: `k:${i}`,
    id: `id-${i}`,
    type: 'de.sozialmonitor.test.v1',
    source: '/sozialmonitor/test',
    data: { pad: 'x'.repeat(bytes) },
  }),
});

describe('requestsOf', () => {
  it('keeps every request under ~512 KiB and the count limit, in order, nothing lost', () => {
    const items = Array.from({ length: 2000 }, (_, i) => message(i, 600)); // ~1.5 MB in all
    const requests = requestsOf(items, 2000);
    expect(requests.length).toBeGreaterThan(2);
    expect(requests.flat().map((r) => r.i)).toEqual(items.map((r) => r.i));
    for (const r of requests) {
      const bytes = r.reduce((n, { message: m }) => n + (m.value as Buffer).length, 0);
      expect(bytes).toBeLessThanOrEqual(512 * 1024);
    }
    expect(requestsOf(items, 300).every((r) => r.length <= 300)).toBe(true);
  });

  it('sends a message larger than the limit on its own', () => {
    const requests = requestsOf([message(0, 10), message(1, 600 * 1024), message(2, 10)], 100);
    expect(requests.map((r) => r.map((x) => x.i))).toEqual([[0], [1], [2]]);
    expect(requestsOf([], 10)).toEqual([]);
  });
});
