import { Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { registeredConsumers, type BatchConsumer } from './batch-consumer';

/**
 * Ready only while every batch consumer of this process that should consume does: one whose start
 * failed or that crashed (and has not been started again yet) makes the service not ready, instead of
 * a service that says ready and consumes nothing. Consumers paused by a replay or stopped on purpose
 * count as healthy.
 */
@Injectable()
export class ConsumersHealthIndicator {
  constructor(private readonly health: HealthIndicatorService) {}

  async isHealthy(key = 'consumers', consumers: () => BatchConsumer[] = registeredConsumers): Promise<HealthIndicatorResult> {
    const indicator = this.health.check(key);
    const all = consumers();
    const failing = all.filter((c) => !c.healthy).map((c) => ({ group: c.groupId, problem: c.problem }));
    return failing.length === 0 ? indicator.up({ consumers: all.length }) : indicator.down({ failing });
  }
}
