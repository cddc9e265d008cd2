import { Injectable } from '@nestjs/common';
import { type HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { ReadModel } from '../application/read-model';

/** Readiness: up once the read model has loaded the publication log (before that, every answer would be incomplete). */
@Injectable()
export class ReadModelHealthIndicator {
  constructor(
    private readonly readModel: ReadModel,
    private readonly health: HealthIndicatorService,
  ) {}

  async isHealthy(key = 'readModel'): Promise<HealthIndicatorResult> {
    const indicator = this.health.check(key);
    return this.readModel.isLoaded
      ? indicator.up(this.readModel.size)
      : indicator.down({ message: 'loading the publication log' });
  }
}
