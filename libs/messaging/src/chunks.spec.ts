import { chunksOf } from './chunks';
import type { OutgoingEvent } from './cloud-event';

describe('chunksOf', () => {
  const event = (bytes: number, i: number): OutgoingEvent => ({
    topic: 't',
    key: `k${i}`,
    id: 'x',
    type: 't',
    source: 's',
    data: Buffer.alloc(bytes),
  });
  it('keeps order and stays under the byte budget; an oversized event is its own chunk', () => {
    const events = [100, 100, 100, 5000, 100].map(event);
    const chunks = chunksOf(events, 1200, () => 400);
    expect(chunks.map((c) => c.map((e) => e.key))).toEqual([['k0', 'k1'], ['k2'], ['k3'], ['k4']]);
    expect(chunks.flat()).toEqual(events);
    expect(chunksOf([], 1000, () => 400)).toEqual([]);
  });
});
