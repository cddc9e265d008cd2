import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiParam, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { componentSchema, problem, REPLAY_FROM_SCHEMA, REPLAY_STATUS_SCHEMA } from '@sozialmonitor/platform';
import { type ApiPrincipal, RequireRole } from '@sozialmonitor/platform/auth';
import type { Delivery } from '../application/ports/webhook.store';
import { SubscriptionRefused, Subscriptions } from '../application/subscriptions';
import { WebhookReplays } from '../application/webhook-replays';
import { ReplayRequestError } from '@sozialmonitor/messaging';
import type { DeliveryStatus } from '../domain/webhook-subscription';

const STATUSES: readonly DeliveryStatus[] = ['pending', 'delivered', 'dead'];

const SUBSCRIPTION = componentSchema('Subscription', {
  type: 'object',
  required: ['id', 'url', 'indicators', 'regions', 'threshold', 'description', 'createdAt', 'createdBy'],
  properties: {
    id: { type: 'string' },
    url: { type: 'string' },
    indicators: { type: 'array', items: { type: 'string' } },
    regions: { type: 'array', items: { type: 'string' } },
    threshold: { type: 'number', nullable: true },
    description: { type: 'string' },
    createdAt: { type: 'string', format: 'date-time' },
    createdBy: { type: 'string' },
  },
});
const DELIVERY = {
  type: 'object',
  required: ['id', 'subscriptionId', 'eventId', 'key', 'status', 'attempts', 'createdAt'],
  properties: {
    id: { type: 'string' },
    subscriptionId: { type: 'string' },
    eventId: { type: 'string' },
    key: { type: 'string' },
    status: { type: 'string', enum: [...STATUSES] },
    attempts: { type: 'integer' },
    createdAt: { type: 'string', format: 'date-time' },
    nextAttemptAt: { type: 'string', format: 'date-time' },
    lastAttemptAt: { type: 'string', format: 'date-time' },
    lastResult: { type: 'string' },
    deliveredAt: { type: 'string', format: 'date-time' },
  },
};
const REQUEST = {
  type: 'object',
  required: ['url'],
  additionalProperties: false,
  properties: {
    url: { type: 'string', format: 'uri', maxLength: 2000, description: 'http or https URL the CloudEvents are POSTed to', example: 'https://sozialplanung.example/hooks/kpi' },
    indicators: { type: 'array', items: { type: 'string' }, description: 'indicator ids; empty or absent: every indicator' },
    regions: { type: 'array', items: { type: 'string' }, description: 'municipality AGS or the county 01056; empty or absent: all' },
    threshold: {
      type: 'number',
      nullable: true,
      minimum: 0,
      exclusiveMinimum: true,
      description: 'only changes of at least this much against the previous publication (in the indicator unit); absent or null: every change',
    },
    description: { type: 'string', maxLength: 500 },
    secret: { type: 'string', minLength: 24, maxLength: 256, pattern: '^\\S+$', description: 'HMAC key; absent: one is generated and answered once' },
  },
};
const ID = /^[0-9a-f-]{36}$/;
const DELIVERY_ID = /^[A-Za-z0-9_-]{32}$/;

type AdminRequest = { principal?: ApiPrincipal };

function limitOf(limit: string | undefined): number {
  if (limit === undefined) return 100;
  if (!/^\d{1,4}$/.test(limit) || Number(limit) < 1 || Number(limit) > 1000)
    throw problem(400, 'Bad request', 'limit must be an integer 1…1000', { errors: [{ parameter: 'limit', message: 'must be an integer 1…1000' }] });
  return Number(limit);
}

function statusOf(status: string | undefined): DeliveryStatus | undefined {
  if (status === undefined) return undefined;
  if (!(STATUSES as readonly string[]).includes(status))
    throw problem(400, 'Bad request', `status must be one of ${STATUSES.join(', ')}`, {
      errors: [{ parameter: 'status', message: `must be one of ${STATUSES.join(', ')}` }],
    });
  return status as DeliveryStatus;
}

function onlyKnown(query: Record<string, unknown>, known: readonly string[]): void {
  const unknown = Object.keys(query).filter((k) => !known.includes(k));
  if (unknown.length > 0)
    throw problem(400, 'Bad request', `unknown parameters: ${unknown.join(', ')}`, {
      errors: unknown.map((parameter) => ({ parameter, message: 'unknown parameter' })),
    });
}

const deliveryView = (d: Delivery) => ({
  id: d.id,
  subscriptionId: d.subscriptionId,
  eventId: d.eventId,
  key: d.key,
  status: d.status,
  attempts: d.attempts,
  createdAt: d.createdAt,
  ...(d.status === 'pending' ? { nextAttemptAt: d.nextAttemptAt } : {}),
  ...(d.lastAttemptAt ? { lastAttemptAt: d.lastAttemptAt, lastResult: d.lastResult } : {}),
  ...(d.deliveredAt ? { deliveredAt: d.deliveredAt } : {}),
});

/**
 * Webhook subscriptions (README "Subscriptions"), admin role only: register a receiver with filters and
 * a threshold, list and remove them, see deliveries and dead letters, re-deliver a dead one.
 */
@ApiTags('admin')
@RequireRole('admin')
@Controller('api/v1/admin')
export class SubscriptionsController {
  constructor(
    private readonly subscriptions: Subscriptions,
    private readonly replays: WebhookReplays,
  ) {}

  @Post('subscriptions')
  @HttpCode(201)
  @ApiBody({ schema: REQUEST })
  @ApiOperation({
    summary:
      'Registers a webhook: published KPI values matching the filters (and threshold) are POSTed as CloudEvents (HTTP binding, binary mode), signed with HMAC-SHA256 in X-Sozialmonitor-Signature',
  })
  @ApiResponse({
    status: 201,
    description: 'the subscription; `secret` only when the system generated it (it is never shown again)',
    schema: { type: 'object', required: ['subscription'], properties: { subscription: SUBSCRIPTION, secret: { type: 'string' } } },
  })
  @ApiResponse({ status: 400, description: 'invalid request; `errors` names every field and problem' })
  async create(@Body() body: unknown, @Req() req: AdminRequest) {
    try {
      return await this.subscriptions.create(body, req.principal?.name ?? 'unknown');
    } catch (e) {
      if (e instanceof SubscriptionRefused)
        throw problem(400, 'Invalid subscription', e.message, { errors: e.problems.map((p) => ({ field: p.field, message: p.message })) });
      throw e;
    }
  }

  @Get('subscriptions')
  @ApiOperation({ summary: 'Every webhook subscription, oldest first (never the secrets)' })
  @ApiResponse({ status: 200, description: 'the subscriptions', schema: { type: 'object', required: ['subscriptions'], properties: { subscriptions: { type: 'array', items: SUBSCRIPTION } } } })
  @ApiResponse({ status: 400, description: 'an unknown query parameter' })
  async list(@Query() query: Record<string, unknown>) {
    onlyKnown(query, []);
    return { subscriptions: await this.subscriptions.list() };
  }

  @Get('subscriptions/:id')
  @ApiParam({ name: 'id', example: '0b9c3f5e-6f1e-4c55-9a43-0d8f3d8b8a11' })
  @ApiOperation({ summary: 'One webhook subscription' })
  @ApiResponse({ status: 200, description: 'the subscription', schema: SUBSCRIPTION })
  @ApiResponse({ status: 400, description: 'an unknown query parameter' })
  @ApiResponse({ status: 404, description: 'no such subscription' })
  async get(@Param('id') id: string, @Query() query: Record<string, unknown>) {
    onlyKnown(query, []);
    const s = ID.test(id) ? await this.subscriptions.get(id) : undefined;
    if (!s) throw problem(404, 'Unknown subscription', `there is no subscription ${JSON.stringify(id.slice(0, 80))}`);
    return s;
  }

  @Delete('subscriptions/:id')
  @HttpCode(204)
  @ApiParam({ name: 'id', example: '0b9c3f5e-6f1e-4c55-9a43-0d8f3d8b8a11' })
  @ApiOperation({ summary: 'Removes a subscription; its pending deliveries are not sent' })
  @ApiResponse({ status: 204, description: 'removed' })
  @ApiResponse({ status: 404, description: 'no such subscription' })
  async remove(@Param('id') id: string) {
    if (!(ID.test(id) && (await this.subscriptions.remove(id))))
      throw problem(404, 'Unknown subscription', `there is no subscription ${JSON.stringify(id.slice(0, 80))}`);
  }

  @Get('webhook-deliveries')
  @ApiQuery({ name: 'subscription', required: false, description: 'one subscription id' })
  @ApiQuery({ name: 'status', required: false, enum: [...STATUSES], description: '`dead`: the dead letters' })
  @ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', minimum: 1, maximum: 1000, default: 100 } })
  @ApiOperation({ summary: 'Deliveries, newest first: status, attempts, the last result (HTTP status, timeout …); `status=dead` lists the dead letters' })
  @ApiResponse({ status: 200, description: 'the deliveries', schema: { type: 'object', required: ['deliveries'], properties: { deliveries: { type: 'array', items: DELIVERY } } } })
  @ApiResponse({ status: 400, description: 'a bad or unknown query parameter' })
  async deliveries(@Query() query: Record<string, string | undefined>) {
    onlyKnown(query, ['subscription', 'status', 'limit']);
    const list = await this.subscriptions.deliveries({
      subscriptionId: query.subscription,
      status: statusOf(query.status),
      limit: limitOf(query.limit),
    });
    return { deliveries: list.map(deliveryView) };
  }

  @Post('webhook-deliveries/:id/redeliver')
  @HttpCode(202)
  @ApiParam({ name: 'id', example: 'Qm9vZ2xlZnJvYnMtZGVsaXZlcnktaWQx' })
  @ApiOperation({ summary: 'Sends a dead delivery again (attempts start from zero)' })
  @ApiResponse({ status: 202, description: 'queued again' })
  @ApiResponse({ status: 404, description: 'no dead delivery with this id' })
  async redeliver(@Param('id') id: string) {
    if (!(DELIVERY_ID.test(id) && (await this.subscriptions.redeliver(id))))
      throw problem(404, 'Unknown dead delivery', `there is no dead delivery ${JSON.stringify(id.slice(0, 80))}`);
  }

  @Post('webhook-replays')
  @HttpCode(202)
  @ApiBody({
    schema: {
      type: 'object',
      required: ['from'],
      properties: {
        from: { ...REPLAY_FROM_SCHEMA, description: `${REPLAY_FROM_SCHEMA.description} of the KPI topic` },
        dryRun: { type: 'boolean', description: 'only show the target offsets' },
      },
    },
  })
  @ApiOperation({
    summary:
      'Replays the webhook consumer group from a time (after a receiver outage): what matches a subscription is delivered again, signed, with retries; progress and audit as every replay',
  })
  @ApiResponse({ status: 202, description: 'the replay was announced (or, with dryRun, planned only)', schema: REPLAY_STATUS_SCHEMA })
  @ApiResponse({ status: 400, description: 'no start, or a bad start' })
  async replay(@Body() body: { from?: unknown; dryRun?: unknown } | undefined, @Req() req: { principal?: ApiPrincipal }) {
    if (body?.from === undefined)
      throw problem(400, 'Invalid replay request', 'from is required', { errors: [{ field: 'from', message: 'is required' }] });
    if (body.dryRun !== undefined && typeof body.dryRun !== 'boolean')
      throw problem(400, 'Invalid replay request', 'dryRun must be true or false', { errors: [{ field: 'dryRun', message: 'must be a boolean' }] });
    try {
      return await this.replays.replay(body.from, body.dryRun === true, req.principal?.name ?? 'unknown');
    } catch (e) {
      if (e instanceof ReplayRequestError) throw problem(400, 'Invalid replay request', e.message);
      throw e;
    }
  }

  @Get('webhook-replays/:id')
  @ApiParam({ name: 'id', schema: { type: 'string', format: 'uuid' } })
  @ApiOperation({ summary: 'State and progress of a webhook replay started on this instance' })
  @ApiResponse({ status: 200, description: 'the replay', schema: REPLAY_STATUS_SCHEMA })
  @ApiResponse({ status: 404, description: 'no replay with this id was started on this instance' })
  replayStatus(@Param('id') id: string) {
    const status = this.replays.status(id);
    if (!status) throw problem(404, 'Unknown replay', `no webhook replay ${JSON.stringify(id.slice(0, 80))} was started on this instance`);
    return status;
  }
}
