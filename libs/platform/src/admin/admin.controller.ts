import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiParam, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { DeadLetterAdmin, ReplayCoordinator, ReplayRequestError, consumerOfGroup } from '@sozialmonitor/messaging';
import type { ApiPrincipal } from '../auth';
import { RequireRole } from '../auth';
import { ApiProblems } from '../openapi/problem-responses';
import { problem } from '../problem-details.filter';
import {
  CONSUMER_GROUP_SCHEMA,
  DEAD_LETTER_SCHEMA,
  REDRIVE_REQUEST_SCHEMA,
  REDRIVE_RESULT_SCHEMA,
  REPLAY_NOTICE_SCHEMA,
  REPLAY_REQUEST_SCHEMA,
  REPLAY_STATUS_SCHEMA,
} from './admin.openapi';
import { ADMIN_OPTIONS, type AdminModuleOptions } from './admin.options';

interface ReplayBody {
  topic?: string;
  from?: unknown;
  dryRun?: boolean;
}

/** Administration of the service's stream consumption (api.md "Administration"), admin role only. */
@ApiTags('admin')
@RequireRole('admin')
@Controller('api/v1/admin')
export class AdminController {
  constructor(
    private readonly replays: ReplayCoordinator,
    private readonly deadLetters: DeadLetterAdmin,
    @Inject(ADMIN_OPTIONS) private readonly options: AdminModuleOptions,
  ) {}

  @Get('consumer-groups')
  @ApiOperation({ summary: "The service's consumer group with committed offset, end and lag per topic and partition" })
  @ApiOkResponse({ schema: CONSUMER_GROUP_SCHEMA })
  async consumerGroups() {
    const topics = [...(consumerOfGroup(this.options.groupId)?.topics ?? this.options.topics ?? [])];
    const partitions = await this.replays.lag(topics);
    return {
      groupId: this.options.groupId,
      service: this.options.service,
      totalLag: partitions.reduce((s, p) => s + p.lag, 0),
      partitions,
    };
  }

  @Post('replays')
  @HttpCode(202)
  @ApiOperation({
    summary:
      'Replay a consumed topic from `earliest`, an ISO timestamp or offsets {partition: offset}; `dryRun` shows the target offsets',
    description:
      '`topic` must be one the service consumes (its configuration: see GET …/admin/consumer-groups) and offsets must be keyed by ' +
      'partition numbers ("0", "1", …); otherwise 400 naming the rule.',
  })
  @ApiBody({ schema: REPLAY_REQUEST_SCHEMA })
  @ApiResponse({
    status: 202,
    description: 'The replay was announced (or, with dryRun, planned only)',
    schema: REPLAY_STATUS_SCHEMA,
  })
  @ApiProblems({ 400: 'No topic or start, a topic the service does not consume, or a bad start' })
  async replay(@Body() body: ReplayBody, @Req() req: { principal?: ApiPrincipal }) {
    if (!body || typeof body.topic !== 'string')
      throw problem(400, 'Invalid replay request', 'topic is required', {
        errors: [{ field: 'topic', message: 'is required' }],
      });
    if (body.from === undefined)
      throw problem(400, 'Invalid replay request', 'from is required', {
        errors: [{ field: 'from', message: 'is required' }],
      });
    try {
      return await this.replays.request({
        topic: body.topic,
        from: body.from,
        dryRun: body.dryRun === true,
        requestedBy: req.principal?.name ?? 'unknown',
      });
    } catch (e) {
      if (e instanceof ReplayRequestError) throw problem(400, 'Invalid replay request', e.message);
      throw e;
    }
  }

  @Get('replays')
  @ApiOperation({ summary: 'Audit log of replays of this service: who, when, what, outcome' })
  @ApiOkResponse({ schema: { type: 'array', items: REPLAY_NOTICE_SCHEMA } })
  audit() {
    return this.replays.audit();
  }

  @Get('replays/:id')
  @ApiOperation({ summary: 'Progress of a replay started on this instance' })
  @ApiParam({ name: 'id', description: 'The replayId the start answered' })
  @ApiOkResponse({ schema: REPLAY_STATUS_SCHEMA })
  @ApiProblems({ 404: 'No replay with this id was started on this instance' })
  status(@Param('id') id: string) {
    const status = this.replays.status(id);
    if (!status)
      throw problem(
        404,
        'Unknown replay',
        `no replay ${id} was started on this instance (see GET /api/v1/admin/replays for all)`,
      );
    return status;
  }

  @Get('dead-letters')
  @ApiOperation({ summary: 'Dead letters of this service with their reasons (never their payloads), newest last' })
  @ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', minimum: 1, maximum: 10_000, default: 100 } })
  @ApiOkResponse({ schema: { type: 'array', items: DEAD_LETTER_SCHEMA } })
  @ApiProblems({ 400: 'limit is not an integer from 1 to 10000' })
  listDeadLetters(@Query('limit') limit?: string) {
    // Digits only: Number() would also take ' 5', '1e3' or '0x10', which the documented integer is not.
    const n = limit === undefined ? 100 : /^\d{1,5}$/.test(limit) ? Number(limit) : NaN;
    if (!Number.isInteger(n) || n < 1 || n > 10_000)
      throw problem(400, 'Invalid parameter', 'limit must be an integer from 1 to 10000', {
        errors: [{ parameter: 'limit' }],
      });
    return this.deadLetters.list({ service: this.options.service, limit: n });
  }

  @Post('dead-letters/redrive')
  @HttpCode(200)
  @ApiOperation({ summary: 'Re-publish selected dead letters (`partition:offset`) to their original topics' })
  @ApiBody({ schema: REDRIVE_REQUEST_SCHEMA })
  @ApiOkResponse({ schema: REDRIVE_RESULT_SCHEMA })
  @ApiProblems({ 400: 'messages is not a non-empty array of "partition:offset"' })
  redrive(@Body() body: { messages?: unknown }) {
    const messages = body?.messages;
    if (
      !Array.isArray(messages) ||
      messages.length === 0 ||
      !messages.every((m) => typeof m === 'string' && /^\d+:\d+$/.test(m))
    ) {
      throw problem(400, 'Invalid parameter', 'messages must be a non-empty array of "partition:offset"', {
        errors: [{ field: 'messages' }],
      });
    }
    return this.deadLetters.redrive(messages as string[], this.options.service);
  }
}
