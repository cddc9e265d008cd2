import { Injectable } from '@nestjs/common';
import { EVENT_TYPES } from '@sozialmonitor/contracts';
import { CloudEvent, HTTP } from 'cloudevents';
import type { WebhookRequest, WebhookSender } from '../application/ports/webhook-sender';
import type { AttemptOutcome } from '../domain/webhook-subscription';
import { PublicationEnvironment, SERVICE } from '../publication.environment';

/** The header with `sha256=<hex HMAC-SHA256 of the body>` under the subscription's secret. */
export const SIGNATURE_HEADER = 'x-sozialmonitor-signature';
export const SUBSCRIPTION_HEADER = 'x-sozialmonitor-subscription';

/**
 * Sends one delivery: a POST in the CloudEvents HTTP binding, binary content mode (`ce-specversion`,
 * `ce-id` = the KPI event's id, `ce-source`, `ce-type`, `ce-time`, `ce-subject` = the value's key,
 * `content-type: application/json`; the body is the KPI value payload of events.md). A 2xx answer is
 * success; any other status, a redirect (never followed: a subscriber's URL must not lead elsewhere),
 * a timeout or a connection error is a failed attempt. The answer's body is not read.
 */
@Injectable()
export class WebhookHttpSender implements WebhookSender {
  constructor(private readonly env: PublicationEnvironment) {}

  async send(r: WebhookRequest): Promise<AttemptOutcome> {
    const event = new CloudEvent({
      id: r.eventId,
      source: `/sozialmonitor/${SERVICE}`,
      type: EVENT_TYPES.kpiValue,
      subject: r.subject,
      time: r.time,
      datacontenttype: 'application/json',
      data: JSON.parse(r.body) as object,
    });
    const headers = HTTP.binary(event).headers as Record<string, string>;
    try {
      const res = await fetch(r.url, {
        method: 'POST',
        headers: { ...headers, [SIGNATURE_HEADER]: r.signature, [SUBSCRIPTION_HEADER]: r.subscriptionId },
        body: r.body,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.env.WEBHOOK_TIMEOUT_MS),
      });
      await res.body?.cancel().catch(() => undefined); // the answer's body is not read; only its status counts
      return { ok: res.status >= 200 && res.status < 300, result: `HTTP ${res.status}` };
    } catch (e) {
      const err = e as Error & { cause?: { code?: string } };
      if (err.name === 'TimeoutError') return { ok: false, result: 'timeout' };
      return { ok: false, result: err.cause?.code ?? err.name ?? 'error' };
    }
  }
}
