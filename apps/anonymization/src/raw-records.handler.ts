import { Controller, Inject, Injectable, Logger, type Type } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
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
@Injectable()
export class RawRecordsHandler {
  private readonly log = new Logger('RawRecordsHandler');

  constructor(
    @Inject(RawRecordAnonymizer) private readonly anonymizer: RawRecordAnonymizer,
    private readonly publisher: EventPublisher,
    private readonly metrics: AnonymizationMetrics,
  ) {}

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
    // in order, in requests under the broker's max.message.bytes (EventPublisher)
    await this.publisher.publish(out);
    for (const [source, outcome] of counts) this.metrics.count(source, outcome);
  }
}

/**
 * The consumer of the raw topic (RAW_TOPIC; tests use a private one, so the controller class is made
 * for it): hands each batch to the handler.
 */
export function rawRecordsConsumer(topic: string): Type<unknown> {
  @Controller()
  class RawRecordsConsumer {
    constructor(private readonly handler: RawRecordsHandler) {}

    @EventPattern(topic)
    async onBatch(@Payload() events: ConsumedEvent[]): Promise<void> {
      await this.handler.handle(events);
    }
  }
  return RawRecordsConsumer;
}
