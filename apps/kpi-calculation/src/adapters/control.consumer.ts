import { Inject, Injectable, Logger } from '@nestjs/common';
import { EVENT_TYPES } from '@sozialmonitor/contracts';
import { BatchConsumer, EventPublisher, KAFKA } from '@sozialmonitor/messaging';
import type { Kafka } from 'kafkajs';
import { KpiCalculationEnvironment, SERVICE } from '../kpi-calculation.environment';
import { CatalogueService } from '../application/catalogue.service';
import { Instance } from '../application/instance';

/**
 * Hears `de.sozialmonitor.control.catalogue-changed.v1` on the control topic (every instance, with a
 * consumer group of its own) and reloads the catalogue.
 */
@Injectable()
export class ControlListener {
  private readonly log = new Logger('ControlListener');
  private consumer?: BatchConsumer;

  constructor(
    @Inject(KAFKA) private readonly kafka: Kafka,
    private readonly deadLetters: EventPublisher,
    private readonly env: KpiCalculationEnvironment,
    private readonly catalogue: CatalogueService,
    private readonly instance: Instance,
  ) {}

  async start(): Promise<void> {
    this.consumer = new BatchConsumer(this.kafka, this.deadLetters, {
      service: SERVICE,
      groupId: `${this.env.KPI_CALCULATION_GROUP_ID}.control.${this.instance.id}`,
      topics: [this.env.CONTROL_TOPIC],
      fromBeginning: false,
      handler: async (events) => {
        if (events.some((e) => e.type === EVENT_TYPES.catalogueChanged)) {
          this.log.log('catalogue-changed received');
          this.catalogue.reload();
        }
      },
    });
    await this.consumer.start();
  }

  async stop(): Promise<void> {
    await this.consumer?.stop();
  }
}
