import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  deadLetterOf,
  describeError,
  EventPublisher,
  type ConsumedEvent,
  type OutgoingEvent,
} from '@sozialmonitor/messaging';
import { SERVICE } from '../anonymization.environment';
import { AnonymizationMetrics } from './anonymization.metrics';
import { RawRecordAnonymizer } from './raw-record-anonymizer';

/**
 * Consumes the raw topic in batches. Every message becomes a lake message or — when it cannot be
 * anonymized (unknown key id, tampered, invalid, outside the allow-list) — goes to the dead-letter
 * topic as it came, still sealed, with the reason. Both are published together and acknowledged by
 * Kafka before the batch resolves (then the consumer commits). A Kafka failure is thrown: the consumer
 * pauses and retries the batch; the output is deterministic, so a retry publishes the same messages.
 */
@Injectable()
export class RawRecordsHandler {
  private readonly log = new Logger('RawRecordsHandler');

  constructor(
    @Inject(RawRecordAnonymizer) private readonly anonymizer: RawRecordAnonymizer,
    private readonly publisher: EventPublisher,
    private readonly metrics: AnonymizationMetrics,
  ) {}

  async handle(events: ConsumedEvent[]): Promise<void> {
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
    // in order, in requests under the broker's max.message.bytes (EventPublisher)
    await this.publisher.publish(out);
    for (const [source, outcome] of counts) this.metrics.count(source, outcome);
  }
}
