import type { AttemptOutcome } from '../../domain/webhook-subscription';

/** One HTTP request of a delivery: CloudEvents HTTP binding (binary mode), signed. */
export interface WebhookRequest {
  readonly url: string;
  readonly eventId: string;
  readonly subject: string;
  readonly time: string;
  readonly body: string;
  readonly signature: string;
  readonly subscriptionId: string;
}

export abstract class WebhookSender {
  abstract send(request: WebhookRequest): Promise<AttemptOutcome>;
}
