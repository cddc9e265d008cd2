import { Injectable } from '@nestjs/common';
import { type HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { ChangeChannelRepository } from './change-channel.repository';

/**
 * Readiness details: whether this instance hears the other instances' changes (Redis pub/sub). Always
 * up, with the state in the details: without the channel the API still answers everything and the
 * instance's own stream clients still see its own changes, and a Redis outage must not take every
 * instance out of the load balancer (publication.module.ts); the subscription is retried meanwhile.
 */
@Injectable()
export class ChangeChannelHealthIndicator {
  constructor(
    private readonly channel: ChangeChannelRepository,
    private readonly health: HealthIndicatorService,
  ) {}

  async isHealthy(key = 'changeChannel'): Promise<HealthIndicatorResult> {
    const state = this.channel.state();
    return this.health.check(key).up(
      state.subscribed
        ? { subscribed: true }
        : { subscribed: false, message: 'not subscribed yet; retrying', failedAttempts: state.failedAttempts, lastError: state.lastError },
    );
  }
}
