import { Body, Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiParam, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { problem } from '@sozialmonitor/platform';
import { type ApiPrincipal, RequireRole } from '@sozialmonitor/platform/auth';
import { EmbargoRefused, EmbargoReleases } from '../application/embargo-releases';

type AdminRequest = { principal?: ApiPrincipal };
const ANSWER = { type: 'object' };
const ID_PARAM = {
  name: 'id',
  description: '`year-<YYYY>` for a held year, `catalogue-<n>` for a held catalogue version (placed by activating it with `releaseAt`)',
  schema: { type: 'string', pattern: '^(year-\\d{4}|catalogue-\\d+)$' },
  example: 'year-2025',
};

function refusal(e: unknown): never {
  if (e instanceof EmbargoRefused)
    throw problem(
      e.status,
      { 404: 'Not Found', 409: 'Hold conflict', 422: 'Invalid hold' }[e.status],
      e.message,
      e.problems.length ? { errors: [...e.problems] } : {},
    );
  throw e;
}

/**
 * Scheduled releases (api.md "Administration", admin role; reading held values: analysts too): hold the
 * values of a year until a release time (a catalogue version is held by activating it with `releaseAt`,
 * and is listed, rescheduled and read here as `catalogue-<n>`). Held values are computed but never put on the KPI topic; the publisher releases them at the
 * time with one `asOf` boundary and announces it on the control topic.
 */
@ApiTags('admin')
@RequireRole('admin')
@Controller('api/v1/admin/releases')
export class ReleaseAdminController {
  constructor(private readonly releases: EmbargoReleases) {}

  @Get()
  @ApiOperation({ summary: 'Every hold (years and catalogue versions): what, release time, reason, who, state (held or released) and how many values went out' })
  @ApiResponse({ status: 200, description: 'the holds', schema: ANSWER })
  async list() {
    return { releases: await this.releases.list() };
  }

  @Post()
  @HttpCode(201)
  @ApiBody({
    schema: {
      type: 'object',
      required: ['year', 'releaseAt', 'reason'],
      properties: {
        year: { type: 'string', pattern: '^\\d{4}$', example: '2025' },
        releaseAt: { type: 'string', format: 'date-time', example: '2026-03-02T10:00:00+01:00' },
        reason: { type: 'string', minLength: 1, pattern: '\\S' },
      },
    },
  })
  @ApiOperation({
    summary: 'Holds the values of a year until `releaseAt`: computed, visible here to admins, not published before',
  })
  @ApiResponse({ status: 201, description: 'the hold', schema: ANSWER })
  @ApiResponse({ status: 409, description: 'the year has a hold already' })
  @ApiResponse({ status: 422, description: 'not a year from FIRST_YEAR to this year, a time not in the future, or no reason' })
  @ApiResponse({ status: 400, description: 'the body is not a JSON object (problem+json)' })
  async hold(@Body() body: unknown, @Req() req: AdminRequest) {
    return this.releases.hold(req.principal?.name ?? 'unknown', body).catch(refusal);
  }

  @Post(':id/reschedule')
  @HttpCode(200)
  @ApiParam(ID_PARAM)
  @ApiBody({
    schema: {
      type: 'object',
      required: ['releaseAt', 'reason'],
      properties: { releaseAt: { type: 'string', format: 'date-time' }, reason: { type: 'string', minLength: 1, pattern: '\\S' } },
    },
  })
  @ApiOperation({ summary: 'Moves the release time of a held year or catalogue version (earlier or later; still in the future)' })
  @ApiResponse({ status: 200, description: 'the hold', schema: ANSWER })
  @ApiResponse({ status: 404, description: 'no such hold' })
  @ApiResponse({ status: 409, description: 'released already' })
  @ApiResponse({ status: 422, description: 'a time not in the future, or no reason' })
  @ApiResponse({ status: 400, description: 'the body is not a JSON object (problem+json)' })
  async reschedule(@Param('id') id: string, @Body() body: unknown, @Req() req: AdminRequest) {
    return this.releases.reschedule(req.principal?.name ?? 'unknown', id, body).catch(refusal);
  }

  @Get(':id/values')
  @RequireRole(['admin', 'analyst'])
  @ApiParam(ID_PARAM)
  @ApiQuery({ name: 'indicator', required: true, schema: { type: 'string', example: 'births_per_1000' } })
  @ApiOperation({ summary: 'The held values of one indicator (disclosure-controlled, computed now, not published; a catalogue version: every published period): for admins and analysts' })
  @ApiResponse({ status: 200, description: 'the values (KpiValuePayload[])', schema: { type: 'array', items: ANSWER } })
  @ApiResponse({ status: 404, description: 'no such hold, or an indicator it does not hold' })
  async values(@Param('id') id: string, @Query('indicator') indicator?: string) {
    return this.releases.heldValues(id, indicator ?? '').catch(refusal);
  }
}
