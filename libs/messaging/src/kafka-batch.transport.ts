import { Logger } from '@nestjs/common';
import { CustomTransportStrategy, Server } from '@nestjs/microservices';
import type { Kafka } from 'kafkajs';
import { isObservable, lastValueFrom } from 'rxjs';
import { BatchConsumer } from './batch-consumer';
import type { BatchContext } from './batch-consumer';
import type { ConsumedEvent } from './cloud-event';
import type { EventPublisher } from './event-publisher';

export interface KafkaBatchTransportOptions {
  kafka: Kafka;
  deadLetters: EventPublisher;
  service: string;
  /** One consumer group per service (no `-server` suffix, unlike the stock transport). */
  groupId: string;
  fromBeginning?: boolean;
  maxRetries?: number;
}

/**
 * A Nest microservice transport over BatchConsumer: `@EventPattern(topic)` handlers receive a whole batch
 * (`ConsumedEvent[]`) and a BatchContext. Unlike the stock Kafka transport it consumes batches, commits
 * explicitly after the handler resolved, dead-letters poison messages after bounded retries instead of
 * redelivering them forever, and keeps the configured group id as it is.
 */
export class KafkaBatchTransport extends Server implements CustomTransportStrategy {
  private consumer?: BatchConsumer;
  private readonly log = new Logger('KafkaBatchTransport');

  constructor(private readonly options: KafkaBatchTransportOptions) {
    super();
  }

  async listen(callback: (error?: unknown) => void): Promise<void> {
    const topics = [...this.messageHandlers.keys()];
    if (topics.length === 0) return callback();
    try {
      this.consumer = new BatchConsumer(this.options.kafka, this.options.deadLetters, {
        service: this.options.service,
        groupId: this.options.groupId,
        topics,
        fromBeginning: this.options.fromBeginning,
        maxRetries: this.options.maxRetries,
        handler: (events, context) => this.dispatch(events, context),
        log: (level, message, extra) => this.log[level === 'info' ? 'log' : level](`${message} ${JSON.stringify(extra ?? {})}`),
      });
      await this.consumer.start();
      callback();
    } catch (e) {
      callback(e);
    }
  }

  private async dispatch(events: ConsumedEvent[], context: BatchContext): Promise<void> {
    const handler = this.getHandlerByPattern(events[0].topic);
    if (!handler) throw new Error(`no handler for topic ${events[0].topic}`);
    const result = await handler(events, context);
    if (isObservable(result)) await lastValueFrom(result, { defaultValue: undefined });
  }

  async close(): Promise<void> {
    await this.consumer?.stop();
  }

  on(): never {
    throw new Error('KafkaBatchTransport emits no events');
  }

  unwrap<T>(): T {
    return this.options.kafka as T;
  }
}
