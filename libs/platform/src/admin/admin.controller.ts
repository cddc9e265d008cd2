import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DeadLetterAdmin, ReplayCoordinator, ReplayRequestError, consumerOfGroup } from '@sozialmonitor/messaging';
import type { ApiPrincipal } from '../auth';
import { RequireRole } from '../auth';
import { problem } from '../problem-details.filter';
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
  async consumerGroups() {
    const topics = [...(consumerOfGroup(this.options.groupId)?.topics ?? this.options.topics ?? [])];
    const partitions = await this.replays.lag(topics);
    return { groupId: this.options.groupId, service: this.options.service, totalLag: partitions.reduce((s, p) => s + p.lag, 0), partitions };
  }

  @Post('replays')
  @HttpCode(202)
  @ApiOperation({ summary: 'Replay a consumed topic from `earliest`, an ISO timestamp or offsets {partition: offset}; `dryRun` shows the target offsets' })
  @ApiBody({ schema: { type: 'object', required: ['topic', 'from'], properties: { topic: { type: 'string' }, from: {}, dryRun: { type: 'boolean' } } } })
  async replay(@Body() body: ReplayBody, @Req() req: { principal?: ApiPrincipal }) {
    if (!body || typeof body.topic !== 'string') throw problem(400, 'Invalid replay request', 'topic is required', { errors: [{ field: 'topic', message: 'is required' }] });
    if (body.from === undefined) throw problem(400, 'Invalid replay request', 'from is required', { errors: [{ field: 'from', message: 'is required' }] });
    try {
      return await this.replays.request({ topic: body.topic, from: body.from, dryRun: body.dryRun === true, requestedBy: req.principal?.name ?? 'unknown' });
    } catch (e) {
      if (e instanceof ReplayRequestError) throw problem(400, 'Invalid replay request', e.message);
      throw e;
    }
  }

  @Get('replays')
  @ApiOperation({ summary: 'Audit log of replays of this service: who, when, what, outcome' })
  audit() {
    return this.replays.audit();
  }

  @Get('replays/:id')
  @ApiOperation({ summary: 'Progress of a replay started on this instance' })
  status(@Param('id') id: string) {
    const status = this.replays.status(id);
    if (!status) throw problem(404, 'Unknown replay', `no replay ${id} was started on this instance (see GET /api/v1/admin/replays for all)`);
    return status;
  }

  @Get('dead-letters')
  @ApiOperation({ summary: "Dead letters of this service with their reasons (never their payloads)" })
  listDeadLetters(@Query('limit') limit?: string) {
    const n = limit === undefined ? 100 : Number(limit);
    if (!Number.isInteger(n) || n < 1 || n > 10_000) throw problem(400, 'Invalid parameter', 'limit must be an integer from 1 to 10000', { errors: [{ parameter: 'limit' }] });
    return this.deadLetters.list({ service: this.options.service, limit: n });
  }

  @Post('dead-letters/redrive')
  @ApiOperation({ summary: 'Re-publish selected dead letters (`partition:offset`) to their original topics' })
  @ApiBody({ schema: { type: 'object', required: ['messages'], properties: { messages: { type: 'array', items: { type: 'string', example: '0:17' } } } } })
  redrive(@Body() body: { messages?: unknown }) {
    const messages = body?.messages;
    if (!Array.isArray(messages) || messages.length === 0 || !messages.every((m) => typeof m === 'string' && /^\d+:\d+$/.test(m))) {
      throw problem(400, 'Invalid parameter', 'messages must be a non-empty array of "partition:offset"', { errors: [{ field: 'messages' }] });
    }
    return this.deadLetters.redrive(messages as string[], this.options.service);
  }
}
