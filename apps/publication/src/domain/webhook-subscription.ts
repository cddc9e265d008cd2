import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { KpiValuePayload } from '@sozialmonitor/contracts';
import { figureOf } from './value-history';

/**
 * A webhook subscription (issue 17 part 3): a system without Kafka is told of published KPI values
 * over HTTP (CloudEvents HTTP binding, binary mode), filtered by indicators and regions and, when a
 * threshold is set, only when a value moved by at least that much against its previous publication.
 */
export interface Subscription {
  readonly id: string;
  /** http(s) only, no user info (checked by `checkSubscriptionRequest`). */
  readonly url: string;
  /** Empty: every indicator. */
  readonly indicators: readonly string[];
  /** Empty: every region. */
  readonly regions: readonly string[];
  /** Smallest absolute change (in the indicator's unit, e.g. percentage points) that is delivered; null: every change. */
  readonly threshold: number | null;
  readonly description: string;
  readonly createdAt: string;
  readonly createdBy: string;
}

export interface SubscriptionRequest {
  readonly url: string;
  readonly indicators: string[];
  readonly regions: string[];
  readonly threshold: number | null;
  readonly description: string;
  /** Supplied by the subscriber, or undefined: the system generates one and shows it once. */
  readonly secret?: string;
}

export interface RequestProblem {
  readonly field: string;
  readonly message: string;
}

const FIELDS = new Set(['url', 'indicators', 'regions', 'threshold', 'description', 'secret']);
export const MIN_SECRET_LENGTH = 24;

function stringList(
  value: unknown,
  field: string,
  known: (v: string) => boolean,
  what: string,
  problems: RequestProblem[],
): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
    problems.push({ field, message: 'must be an array of strings' });
    return [];
  }
  const list = [...new Set(value as string[])];
  for (const v of list) if (!known(v)) problems.push({ field, message: `unknown ${what} ${JSON.stringify(v.slice(0, 80))}` });
  return list;
}

/**
 * Checks the target of a subscription. Only `http:` and `https:` (no `file:`, `gopher:`, `data:` …),
 * no user name or password in the URL (they would be stored and shown), at most 2,000 characters.
 * Which hosts are reachable is the deployment's egress policy (docs/architecture.md): only admins
 * register subscriptions, and deliveries follow no redirects and read no answer body.
 */
export function checkWebhookUrl(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length === 0) return 'must be an http(s) URL';
  if (value.length > 2000) return 'must be at most 2000 characters';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be an absolute http(s) URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'must use the scheme http or https';
  if (url.username || url.password) return 'must not contain a user name or password';
  if (url.hash) return 'must not contain a fragment';
  return undefined;
}

/**
 * Reads a subscription request (admin API): every problem is listed with its field; unknown fields are
 * problems too (a typo such as `region` must not silently subscribe to everything).
 */
export function checkSubscriptionRequest(
  body: unknown,
  isIndicator: (id: string) => boolean,
  isRegion: (code: string) => boolean,
): { request?: SubscriptionRequest; problems: RequestProblem[] } {
  const problems: RequestProblem[] = [];
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return { problems: [{ field: '', message: 'the body must be a JSON object' }] };
  const b = body as Record<string, unknown>;
  for (const field of Object.keys(b)) if (!FIELDS.has(field)) problems.push({ field, message: 'unknown field' });
  const urlProblem = checkWebhookUrl(b.url);
  if (urlProblem) problems.push({ field: 'url', message: urlProblem });
  const indicators = stringList(b.indicators, 'indicators', isIndicator, 'indicator', problems);
  const regions = stringList(b.regions, 'regions', isRegion, 'region', problems);
  let threshold: number | null = null;
  if (b.threshold !== undefined && b.threshold !== null) {
    if (typeof b.threshold !== 'number' || !Number.isFinite(b.threshold) || b.threshold <= 0)
      problems.push({ field: 'threshold', message: 'must be a positive number (the smallest change delivered)' });
    else threshold = b.threshold;
  }
  let description = '';
  if (b.description !== undefined) {
    if (typeof b.description !== 'string' || b.description.length > 500)
      problems.push({ field: 'description', message: 'must be a text of at most 500 characters' });
    else description = b.description;
  }
  let secret: string | undefined;
  if (b.secret !== undefined) {
    if (typeof b.secret !== 'string' || b.secret.length < MIN_SECRET_LENGTH || b.secret.length > 256 || /\s/.test(b.secret))
      problems.push({
        field: 'secret',
        message: `must be ${MIN_SECRET_LENGTH} to 256 characters without spaces (omit it to have one generated)`,
      });
    else secret = b.secret;
  }
  if (problems.length > 0) return { problems };
  return { request: { url: b.url as string, indicators, regions, threshold, description, secret }, problems };
}

/** A new secret: 32 random bytes, base64url (shown once by the admin API). */
export const generateSecret = (): string => randomBytes(32).toString('base64url');

/** The signature header's value: `sha256=<hex HMAC-SHA256 of the exact body bytes under the secret>`. */
export function signBody(secret: string, body: string | Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** What a receiver does (and the tests): recompute and compare in constant time. */
export function verifySignature(secret: string, body: string | Buffer, header: string | undefined): boolean {
  if (!header) return false;
  const expected = Buffer.from(signBody(secret, body));
  const given = Buffer.from(header);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/**
 * The delivery's id: one per subscription and event, so a re-consumed event is not delivered twice —
 * within a replay epoch: an admin's replay of the webhook group starts a new epoch, and the events it
 * reads again are delivered again (the first epoch, '', keeps the ids of before).
 */
export const deliveryId = (subscriptionId: string, eventId: string, epoch = ''): string =>
  createHash('sha256')
    .update(`${subscriptionId}\u0000${eventId}${epoch ? `\u0000${epoch}` : ''}`)
    .digest('base64url')
    .slice(0, 32);

/**
 * Whether a published value goes to a subscription: only values published after it was made (a
 * consumer catching up, or a replay, does not send a new subscriber history). Filters: indicator and region (empty = all). No
 * threshold: every published change. With a threshold: only a change against the previous publication
 * of the same value (its figure: `Mark.figure`) of at least the threshold, or a figure that appears or disappears (a number
 * becoming suppressed or the other way round); a first publication is not a change.
 */
export function shouldDeliver(
  sub: Subscription,
  value: KpiValuePayload,
  previous: { readonly figure: number | null } | undefined,
): boolean {
  if (Date.parse(value.computedAt) < Date.parse(sub.createdAt)) return false;
  if (sub.indicators.length > 0 && !sub.indicators.includes(value.indicatorId)) return false;
  if (sub.regions.length > 0 && !sub.regions.includes(value.region.code)) return false;
  if (sub.threshold === null) return true;
  if (!previous) return false;
  const before = previous.figure;
  const after = figureOf(value);
  if (before === null || after === null) return before !== after;
  // rounding noise of binary floats must not hide a change of exactly the threshold
  return Math.abs(after - before) >= sub.threshold - 1e-9;
}

/** Delivery attempts: exponential backoff from `baseMs` (base, 2×base, 4×base …), capped at an hour. */
export function retryDelayMs(failedAttempts: number, baseMs: number): number {
  return Math.min(3_600_000, baseMs * 2 ** Math.max(0, failedAttempts - 1));
}

export type DeliveryStatus = 'pending' | 'delivered' | 'dead';

/** The outcome of one attempt, as the admin sees it (no answer body: it could carry anything). */
export interface AttemptOutcome {
  readonly ok: boolean;
  /** `HTTP 500`, `timeout`, `connection refused` … */
  readonly result: string;
}

/** After a failed attempt: pending again with its next time, or dead after the last one. */
export function afterFailure(
  attempts: number,
  maxAttempts: number,
  baseMs: number,
  now: number,
): { status: DeliveryStatus; nextAttemptAt: number } {
  if (attempts >= maxAttempts) return { status: 'dead', nextAttemptAt: now };
  return { status: 'pending', nextAttemptAt: now + retryDelayMs(attempts, baseMs) };
}
