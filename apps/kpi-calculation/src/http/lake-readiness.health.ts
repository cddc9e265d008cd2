import { Injectable } from '@nestjs/common';
import { type HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { LakeEngine } from '../application/lake-engine';

/** Ready once the lake is loaded into the engine (values and on-demand answers are complete then). */
@Injectable()
export class LakeReadinessIndicator {
  constructor(
    private readonly lake: LakeEngine,
    private readonly health: HealthIndicatorService,
  ) {}

  async isHealthy(): Promise<HealthIndicatorResult> {
    const indicator = this.health.check('lake');
    return this.lake.ready
      ? indicator.up({ records: this.lake.engine.recordCount })
      : indicator.down({ message: 'loading the lake' });
  }
}
