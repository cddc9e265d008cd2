import { Inject, Injectable, Logger } from '@nestjs/common';
import { sourceDeclaration } from '@sozialmonitor/contracts';
import {
  deadLetterOf,
  describeError,
  EventPublisher,
  SourceDeclarations,
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
    private readonly sources: SourceDeclarations,
  ) {}

  async handle(events: ConsumedEvent[]): Promise<void> {
    // A source registered at run time may reach the raw topic before this instance has read its
    // declaration: read the source topic to its end before judging the batch (unknown stays unknown).
    if (events.some((e) => !sourceDeclaration(sourceOfKey(e.key)))) await this.sources.catchUpIfPossible();
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

const sourceOfKey = (key: string | null | undefined): string => {
  const colon = key ? key.indexOf(':') : -1;
  return colon > 0 ? key!.slice(0, colon) : '';
};
