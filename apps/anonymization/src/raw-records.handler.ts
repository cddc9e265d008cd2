import { Controller, Inject, Logger } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { TOPICS } from '@sozialmonitor/contracts';
import {
  deadLetterOf,
  describeError,
  EventPublisher,
  type ConsumedEvent,
  type OutgoingEvent,
} from '@sozialmonitor/messaging';
import { AnonymizationMetrics } from './anonymization.metrics';
import { RawRecordAnonymizer } from './raw-record-anonymizer';

export const SERVICE = 'anonymization';

/**
 * Consumes the raw topic in batches. Every message becomes a lake message or — when it cannot be
 * anonymized (unknown key id, tampered, invalid, outside the allow-list) — goes to the dead-letter
 * topic as it came, still sealed, with the reason. Both are published together and acknowledged by
 * Kafka before the batch resolves (then the consumer commits). A Kafka failure is thrown: the consumer
 * pauses and retries the batch; the output is deterministic, so a retry publishes the same messages.
 */
@Controller()
export class RawRecordsHandler {
  private readonly log = new Logger('RawRecordsHandler');

  constructor(
    @Inject(RawRecordAnonymizer) private readonly anonymizer: RawRecordAnonymizer,
    private readonly publisher: EventPublisher,
    private readonly metrics: AnonymizationMetrics,
  ) {}

  @EventPattern(TOPICS.raw)
  async handle(@Payload() events: ConsumedEvent[]): Promise<void> {
    const out: OutgoingEvent[] = [];
    const counts: [string | undefined, 'anonymized' | 'deleted' | 'dead_lettered'][] = [];
    for (const event of events) {
      const outcome = this.anonymizer.anonymize(event);
      if (outcome.kind === 'lake') {
        out.push(outcome.event);
        counts.push([outcome.source, outcome.deleted ? 'deleted' : 'anonymized']);
      } else {
        out.push(deadLetterOf(event, SERVICE, outcome.error));
        counts.push([outcome.source, 'dead_lettered']);
        this.log.warn(
          `raw record dead-lettered ${JSON.stringify({ partition: event.partition, offset: event.offset, ceId: event.id, reason: describeError(outcome.error) })}`,
        );
      }
    }
    // In chunks of ~512 KiB, in order: a record batch must stay under the broker's max.message.bytes.
    for (const chunk of chunksOf(out, 512 * 1024)) await this.publisher.publish(chunk);
    for (const [source, outcome] of counts) this.metrics.count(source, outcome);
  }
}

/** Consecutive chunks whose estimated size stays under `maxBytes` (a single larger event is its own chunk). */
export function chunksOf(events: OutgoingEvent[], maxBytes: number): OutgoingEvent[][] {
  const chunks: OutgoingEvent[][] = [];
  let chunk: OutgoingEvent[] = [];
  let bytes = 0;
  for (const e of events) {
    const size =
      (Buffer.isBuffer(e.data) ? e.data.length : 1024) +
      e.key.length +
      400 +
      Object.values(e.headers ?? {}).reduce((n, v) => n + v.length + 20, 0);
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
