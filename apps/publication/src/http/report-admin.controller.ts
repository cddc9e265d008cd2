import { Body, Controller, Get, HttpCode, Param, Post, Put, Req } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { componentSchema } from '@sozialmonitor/platform';
import { type ApiPrincipal, RequireRole } from '@sozialmonitor/platform/auth';
import { type Actor, Reports } from '../application/reports';
import { CHART_TYPES, RECOMMENDATION_STATUSES } from '../domain/report';
import { reportProblem, reportSummary, reportView } from './report-views';

type AdminRequest = { principal?: ApiPrincipal };

const TEXT = { type: 'string', minLength: 1 };
const ID = { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,63}$' };
const DRAFT_SCHEMA = {
  type: 'object',
  required: ['title', 'sections'],
  properties: {
    id: { ...ID, description: 'only when creating' },
    title: TEXT,
    summary: { type: 'string' },
    sections: {
      type: 'array',
      minItems: 1,
      items: componentSchema('ReportSection', {
        type: 'object',
        required: ['field', 'title'],
        properties: {
          field: { ...TEXT, description: 'the policy field (Handlungsfeld); one section per field' },
          title: TEXT,
          text: { type: 'string' },
          figures: {
            type: 'array',
            items: {
              type: 'object',
              required: ['id', 'title', 'indicator', 'regions', 'periods'],
              properties: {
                id: ID,
                title: TEXT,
                indicator: { type: 'string', example: 'births_per_1000' },
                regions: { type: 'array', minItems: 1, items: { type: 'string', example: '01056015' } },
                periods: { type: 'array', minItems: 1, items: { type: 'string', pattern: '^\\d{4}$', example: '2024' } },
                chart: { type: 'string', enum: [...CHART_TYPES] },
              },
            },
          },
          recommendations: {
            type: 'array',
            items: {
              type: 'object',
              required: ['id', 'text'],
              properties: { id: ID, text: TEXT, status: { type: 'string', enum: [...RECOMMENDATION_STATUSES] } },
            },
          },
        },
      }),
    },
  },
};
const ANSWER = { type: 'object' };
const PARAM = { name: 'id', schema: ID, example: 'sozialbericht-2025' };
const NOT_JSON = { status: 400, description: 'the body is not a JSON object (problem+json)' };

/**
 * Reports, administration (api.md "Administration"; admin role only): create and edit drafts, release
 * (pins the figures to the values as published at that instant), withdraw, move a recommendation's
 * status on. Who and when is kept with the report.
 */
@ApiTags('admin')
@RequireRole('admin')
@Controller('api/v1/admin/reports')
export class ReportAdminController {
  constructor(private readonly reports: Reports) {}

  private actor(req: AdminRequest): Actor {
    return { name: req.principal?.name ?? 'unknown' };
  }

  @Get()
  @ApiOperation({ summary: 'Every report, drafts and withdrawn ones too, with who changed it when' })
  @ApiResponse({ status: 200, description: 'the reports', schema: ANSWER })
  async list() {
    return { reports: (await this.reports.list(true)).map((r) => reportSummary(r, true)) };
  }

  @Get(':id')
  @ApiParam(PARAM)
  @ApiOperation({ summary: 'One report in any state; a draft shows today’s values in its figures (a preview)' })
  @ApiResponse({ status: 200, description: 'the report', schema: ANSWER })
  @ApiResponse({ status: 404, description: 'no such report' })
  async read(@Param('id') id: string) {
    const report = await this.reports.read(id, true).catch(reportProblem);
    return reportView(await this.reports.withPreview(report), undefined, true);
  }

  @Post()
  @HttpCode(201)
  @ApiBody({ schema: { ...DRAFT_SCHEMA, required: ['id', 'title', 'sections'] } })
  @ApiOperation({ summary: 'Creates a draft report (indicators, regions and years are checked)' })
  @ApiResponse({ status: 201, description: 'the draft', schema: ANSWER })
  @ApiResponse({ status: 409, description: 'a report with this id exists' })
  @ApiResponse({ status: 422, description: 'invalid draft; `errors` names every field and why' })
  @ApiResponse(NOT_JSON)
  async create(@Body() body: unknown, @Req() req: AdminRequest) {
    return reportView(await this.reports.create(this.actor(req), body).catch(reportProblem), undefined, true);
  }

  @Put(':id')
  @ApiParam(PARAM)
  @ApiBody({ schema: DRAFT_SCHEMA })
  @ApiOperation({ summary: 'Replaces a draft’s content (a released or withdrawn report is not edited: 409)' })
  @ApiResponse({ status: 200, description: 'the draft', schema: ANSWER })
  @ApiResponse({ status: 404, description: 'no such report' })
  @ApiResponse({ status: 409, description: 'not a draft, or changed meanwhile' })
  @ApiResponse({ status: 422, description: 'invalid draft; `errors` names every field and why' })
  @ApiResponse(NOT_JSON)
  async edit(@Param('id') id: string, @Body() body: unknown, @Req() req: AdminRequest) {
    return reportView(await this.reports.edit(this.actor(req), id, body).catch(reportProblem), undefined, true);
  }

  @Post(':id/release')
  @HttpCode(200)
  @ApiParam(PARAM)
  @ApiOperation({
    summary: 'Releases a draft: every figure is pinned to the values as published now (asOf = the release time)',
  })
  @ApiResponse({ status: 200, description: 'the released report', schema: ANSWER })
  @ApiResponse({ status: 404, description: 'no such report' })
  @ApiResponse({ status: 409, description: 'not a draft, or changed meanwhile' })
  async release(@Param('id') id: string, @Req() req: AdminRequest) {
    return reportView(await this.reports.release(this.actor(req), id).catch(reportProblem), undefined, true);
  }

  @Post(':id/withdraw')
  @HttpCode(200)
  @ApiParam(PARAM)
  @ApiBody({ schema: { type: 'object', required: ['reason'], properties: { reason: { type: 'string', minLength: 1, pattern: '\\S' } } } })
  @ApiOperation({ summary: 'Withdraws a released report; the public then gets 410 with the reason' })
  @ApiResponse({ status: 200, description: 'the withdrawn report', schema: ANSWER })
  @ApiResponse({ status: 404, description: 'no such report' })
  @ApiResponse({ status: 409, description: 'not released' })
  @ApiResponse({ status: 422, description: 'no reason' })
  @ApiResponse(NOT_JSON)
  async withdraw(@Param('id') id: string, @Body() body: { reason?: unknown } | undefined, @Req() req: AdminRequest) {
    return reportView(
      await this.reports.withdraw(this.actor(req), id, body?.reason).catch(reportProblem),
      undefined,
      true,
    );
  }

  @Put(':id/recommendations/:recommendation')
  @ApiParam(PARAM)
  @ApiParam({ name: 'recommendation', schema: ID, example: 'kita-ausbau' })
  @ApiBody({
    schema: { type: 'object', required: ['status'], properties: { status: { type: 'string', enum: [...RECOMMENDATION_STATUSES] } } },
  })
  @ApiOperation({ summary: 'Sets a recommendation’s status (also after the release; the figures stay pinned)' })
  @ApiResponse({ status: 200, description: 'the report', schema: ANSWER })
  @ApiResponse({ status: 404, description: 'no such report or recommendation' })
  @ApiResponse({ status: 409, description: 'withdrawn, or changed meanwhile' })
  @ApiResponse({ status: 422, description: 'not a status' })
  @ApiResponse(NOT_JSON)
  async recommendation(
    @Param('id') id: string,
    @Param('recommendation') recommendation: string,
    @Body() body: { status?: unknown } | undefined,
    @Req() req: AdminRequest,
  ) {
    return reportView(
      await this.reports.setRecommendationStatus(this.actor(req), id, recommendation, body?.status).catch(reportProblem),
      undefined,
      true,
    );
  }
}
