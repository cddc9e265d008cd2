import { Body, Controller, Get, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { CatalogueVersion } from '@sozialmonitor/indicators';
import { componentSchema, problem } from '@sozialmonitor/platform';
import { type ApiPrincipal, RequireRole } from '@sozialmonitor/platform/auth';
import { type Actor, CatalogueAdministration, CatalogueRefused } from '../application/catalogue-administration';

type AdminRequest = { principal?: ApiPrincipal };

const DRAFT_SCHEMA = componentSchema('CatalogueDocument', {
  type: 'object',
  required: ['indicators'],
  description:
    'a catalogue document as libs/indicators/catalogue/catalogue.v1.json (its catalogueVersion is ignored: the new version gets the next number)',
  properties: { catalogue: { type: 'string' }, indicators: { type: 'array', minItems: 1, items: { type: 'object' } } },
});
/** Why the catalogue changes: audited with the version (whitespace alone is no reason). */
const REASON_SCHEMA = { type: 'string', minLength: 1, pattern: '\\S' };
const ANSWER = { type: 'object' };
const NOT_JSON = { status: 400, description: 'the body is not a JSON object (problem+json)' };

/** Metadata of a version without its document (lists). */
function summary(v: CatalogueVersion) {
  return {
    catalogueVersion: v.catalogueVersion,
    action: v.action,
    createdAt: v.createdAt,
    createdBy: v.createdBy,
    reason: v.reason,
    basedOn: v.basedOn,
    ...(v.restores !== undefined ? { restores: v.restores } : {}),
    ...(v.indicator !== undefined ? { indicator: v.indicator } : {}),
    ...(v.releaseAt !== undefined ? { releaseAt: v.releaseAt } : {}),
    indicators: v.catalogue.activeIds().length,
    retired: v.catalogue.allIds().length - v.catalogue.activeIds().length,
  };
}

const full = (v: CatalogueVersion) => ({ ...summary(v), document: v.document });

function refusal(e: unknown): never {
  if (e instanceof CatalogueRefused)
    throw problem(
      e.status,
      e.status === 409 ? 'Catalogue conflict' : 'Invalid catalogue',
      e.message,
      e.problems.length > 0 ? { errors: e.problems.map((p) => ({ indicator: p.indicator, message: p.message })) } : {},
    );
  throw e;
}

/**
 * The indicator catalogue as managed data (api.md "Administration"), admin role only. Every action is
 * audited on the catalogue topic (who, when, why, outcome); a refused draft changes nothing.
 */
@ApiTags('admin')
@RequireRole('admin')
@Controller('api/v1/admin/catalogue')
export class CatalogueAdminController {
  constructor(private readonly admin: CatalogueAdministration) {}

  private actor(req: AdminRequest): Actor {
    return { name: req.principal?.name ?? 'unknown' };
  }

  @Get()
  @ApiOperation({ summary: 'The active catalogue version: who made it, when, why, and its document' })
  show() {
    const active = this.admin.active();
    if (!active) throw problem(404, 'No catalogue', 'no catalogue version exists yet (the service is starting)');
    return full(active);
  }

  @Get('versions')
  @ApiOperation({ summary: 'Every catalogue version, oldest first (without documents)' })
  versions() {
    return { active: this.admin.active()?.catalogueVersion ?? null, versions: this.admin.versions().map(summary) };
  }

  @Get('versions/:version')
  @ApiParam({ name: 'version', example: 1 })
  @ApiOperation({ summary: 'One catalogue version with its document' })
  @ApiResponse({ status: 404, description: 'no such version' })
  version(@Param('version') version: string) {
    const v = /^\d{1,9}$/.test(version) ? this.admin.version(Number(version)) : undefined;
    if (!v) throw problem(404, 'Unknown catalogue version', `there is no catalogue version ${JSON.stringify(version)}`);
    return full(v);
  }

  @Get('audit')
  @ApiOperation({
    summary:
      'The audit trail: every catalogue action (validate, preview, activate, retire, rollback, seed), refused ones too',
  })
  audit() {
    return { entries: this.admin.audit() };
  }

  @Post('validate')
  @HttpCode(200)
  @ApiBody({ schema: { type: 'object', required: ['document'], properties: { document: DRAFT_SCHEMA } } })
  @ApiOperation({
    summary:
      'Validates a draft: formulas, measures, units, categories, names (de, en), duplicate ids, index inputs and cycles; says what would change',
  })
  @ApiResponse({ status: 200, description: 'the draft is valid; what it would change', schema: ANSWER })
  @ApiResponse({ status: 422, description: 'invalid draft; `errors` names every entry and problem' })
  @ApiResponse(NOT_JSON)
  async validate(@Body() body: { document?: unknown }, @Req() req: AdminRequest) {
    return this.admin.validate(this.actor(req), body?.document).catch(refusal);
  }

  @Post('preview')
  @HttpCode(200)
  @ApiBody({ schema: { type: 'object', required: ['document'], properties: { document: DRAFT_SCHEMA } } })
  @ApiOperation({
    summary:
      'What activating a draft would change: computed from the lake for every region and published period, compared one by one with the published values (counts, largest changes, newly / no longer suppressed, every changed value)',
  })
  @ApiResponse({ status: 200, description: 'what the activation would change', schema: ANSWER })
  @ApiResponse({ status: 422, description: 'invalid draft' })
  @ApiResponse(NOT_JSON)
  async preview(@Body() body: { document?: unknown }, @Req() req: AdminRequest) {
    return this.admin.preview(this.actor(req), body?.document).catch(refusal);
  }

  @Post('activate')
  @HttpCode(201)
  @ApiBody({
    schema: {
      type: 'object',
      required: ['document', 'reason'],
      properties: {
        document: DRAFT_SCHEMA,
        reason: REASON_SCHEMA,
        releaseAt: {
          type: 'string',
          format: 'date-time',
          description:
            'Hold the version until this time (scheduled release): the values of the indicators it adds or changes are computed but published only then (hold `catalogue-<n>` under /api/v1/admin/releases)',
        },
      },
    },
  })
  @ApiOperation({
    summary:
      'Makes a draft the next catalogue version; every service follows within seconds and the changed indicators are recomputed from the lake (with `releaseAt`: held until then)',
  })
  @ApiResponse({ status: 201, description: 'the new catalogue version and what it changed', schema: ANSWER })
  @ApiResponse({ status: 422, description: 'invalid draft, no reason, or a releaseAt not in the future or with nothing to hold; nothing changes' })
  @ApiResponse({ status: 409, description: 'another administrator made the next version meanwhile, or a held version waits for its release' })
  @ApiResponse(NOT_JSON)
  async activate(@Body() body: { document?: unknown; reason?: unknown; releaseAt?: unknown }, @Req() req: AdminRequest) {
    const { version, changes } = await this.admin
      .activate(this.actor(req), body?.document, body?.reason, body?.releaseAt)
      .catch(refusal);
    return { ...summary(version), changes };
  }

  @Post('indicators/:id/retire')
  @HttpCode(201)
  @ApiParam({ name: 'id', example: 'mean_age' })
  @ApiBody({ schema: { type: 'object', required: ['reason'], properties: { reason: REASON_SCHEMA } } })
  @ApiOperation({
    summary: 'Retires an indicator (a new catalogue version): publication stops, its history stays queryable (asOf)',
  })
  @ApiResponse({ status: 201, description: 'the new catalogue version and what it changed', schema: ANSWER })
  @ApiResponse({ status: 409, description: 'another administrator made the next version meanwhile, or a held version waits for its release' })
  @ApiResponse({ status: 422, description: 'not an active indicator, an input of an index, or no reason' })
  @ApiResponse(NOT_JSON)
  async retire(@Param('id') id: string, @Body() body: { reason?: unknown }, @Req() req: AdminRequest) {
    const { version, changes } = await this.admin.retire(this.actor(req), id, body?.reason).catch(refusal);
    return { ...summary(version), changes };
  }

  @Post('rollback')
  @HttpCode(201)
  @ApiBody({
    schema: {
      type: 'object',
      required: ['toVersion', 'reason'],
      properties: { toVersion: { type: 'integer', minimum: 1 }, reason: REASON_SCHEMA },
    },
  })
  @ApiOperation({
    summary: 'Makes the content of an earlier version the next catalogue version; its values are recomputed',
  })
  @ApiResponse({ status: 201, description: 'the new catalogue version and what it changed', schema: ANSWER })
  @ApiResponse({ status: 409, description: 'another administrator made the next version meanwhile, or a held version waits for its release' })
  @ApiResponse({ status: 422, description: 'unknown version or no reason' })
  @ApiResponse(NOT_JSON)
  async rollback(@Body() body: { toVersion?: unknown; reason?: unknown }, @Req() req: AdminRequest) {
    const { version, changes } = await this.admin
      .rollback(this.actor(req), body?.toVersion, body?.reason)
      .catch(refusal);
    return { ...summary(version), changes };
  }
}
