import type { OutgoingEvent } from './cloud-event';

/**
 * Consecutive chunks of `events`, in order, whose estimated size stays under `maxBytes` (a single larger
 * event is its own chunk): published one after the other, no record batch exceeds the broker's
 * max.message.bytes. An event counts its value (a Buffer's length, 1 KiB for an object), its key, and
 * `overheadOf(event)` for its attributes and headers.
 */
export function chunksOf(
  events: readonly OutgoingEvent[],
  maxBytes: number,
  overheadOf: (event: OutgoingEvent) => number,
): OutgoingEvent[][] {
  const chunks: OutgoingEvent[][] = [];
  let chunk: OutgoingEvent[] = [];
  let bytes = 0;
  for (const e of events) {
    const size = (Buffer.isBuffer(e.data) ? e.data.length : 1024) + e.key.length + overheadOf(e);
    if (chunk.length > 0 && bytes + size > maxBytes) {
      chunks.push(chunk);
      chunk = [];
      bytes = 0;
    }
    chunk.push(e);
    bytes += size;
  }
  if (chunk.length > 0) chunks.push(chunk);
  return chunks;
}
