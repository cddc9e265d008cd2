import { Controller, type Type } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { BatchContext, ConsumedEvent } from '@sozialmonitor/messaging';
import { PublicationRecorder } from '../application/publication-recorder';

/**
 * The consumer of the KPI topic: a batch of one partition at a time, committed by the transport after
 * `record` resolved. The topic is configuration (tests use a private one), so the handler class is made
 * for it.
 */
export function kpiValuesConsumer(topic: string): Type<unknown> {
  @Controller()
  class KpiValuesConsumer {
    constructor(private readonly recorder: PublicationRecorder) {}

    @EventPattern(topic)
    async onBatch(@Payload() events: ConsumedEvent[], @Ctx() context: BatchContext): Promise<void> {
      await this.recorder.record(events);
      // The batch is recorded (idempotently); a failed heartbeat means a rebalance is under way, which the
      // consumer handles at its commit (the batch is then redelivered and recorded as a no-op).
      await context.heartbeat().catch(() => undefined);
    }
  }
  return KpiValuesConsumer;
}
