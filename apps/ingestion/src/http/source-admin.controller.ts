import { Controller, Get, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { RegistrationRefused, SOURCE_DECLARATION_SCHEMA } from '@sozialmonitor/contracts';
import { componentSchema, problem } from '@sozialmonitor/platform';
import { type ApiPrincipal, RequireRole } from '@sozialmonitor/platform/auth';
import type { FastifyRequest } from 'fastify';
import { type Actor, SourceAdministration } from '../application/source-administration';

type AdminRequest = FastifyRequest & { principal?: ApiPrincipal };

/** Declarations are small; ingestion reads no body for others (bodies are streamed), so this one is read here. */
const MAX_BODY_BYTES = 1024 * 1024;

/** The JSON object of an admin request (ingestion leaves every body unparsed: http/unparsed-bodies.ts). */
async function jsonBody(req: AdminRequest): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req.raw as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw problem(413, 'Payload Too Large', `a source declaration request is at most ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  let body: unknown;
  try {
    body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw problem(400, 'Bad Request', 'the body must be a JSON object');
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw problem(400, 'Bad Request', 'the body must be a JSON object');
  return body as Record<string, unknown>;
}

const NAME_PARAM = { name: 'name', example: 'care_dependency', schema: { type: 'string', pattern: '^[a-z][a-z0-9_]{1,39}$' } };
/** The format's JSON Schema (libs/contracts/src/sources/source-declaration.schema.json), without its own $id/$schema. */
const { $schema: _s, $id: _i, ...DECLARATION } = SOURCE_DECLARATION_SCHEMA;
const DOCUMENT = { type: 'object', description: 'a source declaration (docs/sources/README.md)' };
const REASON = { type: 'string', minLength: 1, pattern: '\\S', description: 'why (audited with the version)' };
/** The body of a registration and of a new version: the declaration and why. */
const DECLARATION_CHANGE = componentSchema('SourceDeclarationChange', {
  type: 'object',
  required: ['document', 'reason'],
  properties: { document: DOCUMENT, reason: REASON },
});
const ANSWER = { type: 'object' };
const NOT_JSON = { status: 400, description: 'the body is not a JSON object (problem+json)' };
const TOO_LARGE = { status: 413, description: 'the body exceeds 1 MiB' };
const INVALID = { status: 422, description: 'refused: `errors` names every problem with its path (nothing changes)' };
const CONFLICT = { status: 409, description: 'conflicts with the registered sources (exists, unknown, retired, or not the next version)' };

function refusal(e: unknown): never {
  if (e instanceof RegistrationRefused)
    throw problem(e.status, e.status === 409 ? 'Source conflict' : 'Invalid source declaration', e.message, {
      errors: e.problems.map((p) => ({ path: p.path, message: p.message })),
    });
  throw e;
}

/**
 * Source declarations registered at run time (api.md "Administration"), admin role only. Every action
 * is audited on the source topic; a refused declaration changes nothing.
 */
@ApiTags('admin')
@RequireRole('admin')
@Controller('api/v1/admin/sources')
export class SourceAdminController {
  constructor(private readonly admin: SourceAdministration) {}

  private actor(req: AdminRequest): Actor {
    return { name: req.principal?.name ?? 'unknown' };
  }

  @Get()
  @ApiOperation({ summary: 'Every source: shipped and registered, its version, whether retired, its measure symbols' })
  async list() {
    return { sources: await this.admin.list() };
  }

  @Get('format')
  @ApiOperation({ summary: 'The JSON Schema of the declaration format' })
  @ApiResponse({ status: 200, description: 'JSON Schema draft 2020-12', schema: ANSWER })
  format() {
    return DECLARATION;
  }

  @Get('audit')
  @ApiOperation({ summary: 'The audit trail: every source action (validate, register, version, retire), refused ones too' })
  async audit() {
    return { entries: await this.admin.audit() };
  }

  @Get(':name')
  @ApiParam(NAME_PARAM)
  @ApiOperation({ summary: 'One source: its declaration, what anonymization keeps, its measures and its versions' })
  @ApiResponse({ status: 200, description: 'the source', schema: ANSWER })
  @ApiResponse({ status: 404, description: 'no such source' })
  async show(@Param('name') name: string) {
    const s = await this.admin.show(name);
    if (!s) throw problem(404, 'Unknown source', `there is no source ${JSON.stringify(name.slice(0, 40))}`);
    return s;
  }

  @Post('validate')
  @HttpCode(200)
  @ApiBody({ schema: { type: 'object', required: ['document'], properties: { document: DOCUMENT } } })
  @ApiOperation({ summary: 'Checks a declaration (as a new source, or as the next version of the source it names)' })
  @ApiResponse({ status: 200, description: 'valid; what it would keep, drop, pseudonymize and measure', schema: ANSWER })
  @ApiResponse(INVALID)
  @ApiResponse(NOT_JSON)
  @ApiResponse(TOO_LARGE)
  async validate(@Req() req: AdminRequest) {
    const body = await jsonBody(req);
    return this.admin.validate(this.actor(req), body.document).catch(refusal);
  }

  @Post()
  @HttpCode(201)
  @ApiBody({ schema: DECLARATION_CHANGE })
  @ApiOperation({
    summary: 'Registers a new source (version 1): every service accepts, anonymizes and counts it within seconds, no restart',
  })
  @ApiResponse({ status: 201, description: 'the registered version', schema: ANSWER })
  @ApiResponse(INVALID)
  @ApiResponse(CONFLICT)
  @ApiResponse(NOT_JSON)
  @ApiResponse(TOO_LARGE)
  async register(@Req() req: AdminRequest) {
    const body = await jsonBody(req);
    return this.admin.register(this.actor(req), body.document, body.reason).catch(refusal);
  }

  @Post(':name/versions')
  @HttpCode(201)
  @ApiParam(NAME_PARAM)
  @ApiBody({ schema: DECLARATION_CHANGE })
  @ApiOperation({
    summary:
      'A new version of a source; refused when it would re-interpret stored records (a role, a generalization, a counting family), naming the replay it needs',
  })
  @ApiResponse({ status: 201, description: 'the new version', schema: ANSWER })
  @ApiResponse(INVALID)
  @ApiResponse(CONFLICT)
  @ApiResponse(NOT_JSON)
  @ApiResponse(TOO_LARGE)
  async version(@Param('name') name: string, @Req() req: AdminRequest) {
    const body = await jsonBody(req);
    return this.admin.version(this.actor(req), name, body.document, body.reason).catch(refusal);
  }

  @Post(':name/retire')
  @HttpCode(201)
  @ApiParam(NAME_PARAM)
  @ApiBody({ schema: { type: 'object', required: ['reason'], properties: { reason: REASON } } })
  @ApiOperation({ summary: 'Retires a source (a new version): no more deliveries; stored records and their values stay' })
  @ApiResponse({ status: 201, description: 'the retiring version', schema: ANSWER })
  @ApiResponse(INVALID)
  @ApiResponse(CONFLICT)
  @ApiResponse(NOT_JSON)
  @ApiResponse(TOO_LARGE)
  async retire(@Param('name') name: string, @Req() req: AdminRequest) {
    const body = await jsonBody(req);
    return this.admin.retire(this.actor(req), name, body.reason).catch(refusal);
  }
}
