import { Controller, type Type } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import type { ConsumedEvent } from '@sozialmonitor/messaging';
import { RawRecordsHandler } from '../application/anonymize-raw-records';

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
