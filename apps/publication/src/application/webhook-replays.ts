import { Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { ReplayCoordinator, type ReplayStatus } from '@sozialmonitor/messaging';
import { randomUUID } from 'node:crypto';
import { PublicationEnvironment } from '../publication.environment';
import { WebhookStore } from './ports/webhook.store';

/** The replay coordinator of the webhook consumer group (publication's main group has its own, libs/platform AdminModule). */
export abstract class WebhookReplayCoordinator extends ReplayCoordinator {}

/**
 * An admin's replay of the webhook consumer group (e.g. after a receiver lost what it was sent): the
 * group is reset to a time through libs/messaging's replay mechanism (every instance pauses, offsets
 * are set, progress and audit on the control topic), and a new replay epoch makes the events read
 * again deliveries of their own — without it they would be recognised as delivered already. Only what
 * matches a subscription is delivered again (its filters, thresholds, and only values published after
 * it was made), signed and retried as always.
 */
@Injectable()
export class WebhookReplays implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    private readonly coordinator: WebhookReplayCoordinator,
    private readonly store: WebhookStore,
    private readonly env: PublicationEnvironment,
  ) {}

  onApplicationBootstrap(): Promise<void> {
    return this.coordinator.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.coordinator.stop();
  }

  /** Plans (a bad start throws ReplayRequestError, nothing changes), then starts the epoch and the replay. */
  async replay(from: unknown, dryRun: boolean, requestedBy: string): Promise<ReplayStatus> {
    const request = { topic: this.env.PUBLICATION_KPI_TOPIC, from, requestedBy };
    const plan = await this.coordinator.request({ ...request, dryRun: true });
    if (dryRun) return plan;
    await this.store.startReplayEpoch(randomUUID(), new Date());
    return this.coordinator.request(request);
  }

  status(id: string): ReplayStatus | undefined {
    return this.coordinator.status(id);
  }
}
