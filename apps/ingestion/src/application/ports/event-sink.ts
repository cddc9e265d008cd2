import type { OutgoingEvent } from '@sozialmonitor/messaging';

/** Publishes events and resolves once Kafka acknowledged all (EventPublisher). */
export abstract class EventSink {
  abstract publish(events: OutgoingEvent[]): Promise<void>;
}
