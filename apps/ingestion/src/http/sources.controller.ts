import { Controller, Get, Headers, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOperation,
  ApiParam,
  ApiQuery,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import { deliverableSource, jsonSchemaOf, knownSources, type SourceDeclaration } from '@sozialmonitor/contracts';
import { SourceDeclarations } from '@sozialmonitor/messaging';
import { ApiProblems, ApiRequestContent, problem } from '@sozialmonitor/platform';
import { ApiTokenRegistry, authorize } from '@sozialmonitor/platform/auth';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { UnreadableBodyError } from '../domain/body/body-item';
import { ACCEPTED_MEDIA_TYPES, formatOfContentType, isGzipEncoding } from '../domain/body/open-delivery';
import { DeliveryInterruptedError } from '../application/delivery-processor';
import type { DeliveryReport } from '../domain/delivery-report';
import { DeliveryService } from '../application/delivery.service';
import { IngestionEnvironment } from '../ingestion.environment';
import {
  EmptySnapshotError,
  SnapshotConflictError,
  SnapshotNotFoundError,
  SnapshotService,
} from '../application/snapshot.service';
import { isSnapshotId, SNAPSHOT_ID_PATTERN, snapshotIdOf } from './delivery-query';
import { DELIVERY_REPORT_SCHEMA, SNAPSHOT_SCHEMA, SOURCES_SCHEMA } from './openapi-schemas';

const SOURCE_NAME = /^[a-z][a-z0-9_]{1,39}$/;
/** Sources are registered at run time: the shipped ones are examples, GET /api/v1/sources lists them all. */
const SOURCE_PARAM = { name: 'source', example: 'population', schema: { type: 'string', pattern: SOURCE_NAME.source } };

/** What GET /api/v1/sources tells a delivering system about one source. */
function describeSource(d: SourceDeclaration) {
  return {
    name: d.name,
    title: d.title,
    description: d.description,
    formats: [...ACCEPTED_MEDIA_TYPES],
    fields: d.fields.map((f) => ({
      name: f.name,
      type: f.type.kind,
      required: f.required,
      privacy: f.privacy.kind,
      description: f.description,
    })),
    schema: jsonSchemaOf(d),
  };
}

@ApiTags('sources')
@Controller('api/v1/sources')
export class SourcesController {
  /** Described once per declaration (a JSON Schema per source is not free), rebuilt as sources are registered. */
  private readonly described = new WeakMap<SourceDeclaration, ReturnType<typeof describeSource>>();

  constructor(
    private readonly sources: SourceDeclarations,
    private readonly deliveries: DeliveryService,
    private readonly snapshots: SnapshotService,
    private readonly tokens: ApiTokenRegistry,
    private readonly env: IngestionEnvironment,
  ) {}

  @Get()
  @ApiOperation({ summary: 'The sources with their fields (as JSON Schema draft 2020-12) and formats' })
  @ApiResponse({ status: 200, schema: SOURCES_SCHEMA })
  list() {
    return {
      sources: knownSources()
        .filter((s) => !s.retired)
        .map(({ declaration }) => {
          let d = this.described.get(declaration);
          if (!d) this.described.set(declaration, (d = describeSource(declaration)));
          return d;
        }),
    };
  }

  @Post(':source/records')
  @HttpCode(202)
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Deliver records of a source',
    description:
      'Body: a JSON array of objects, NDJSON or CSV (header row), UTF-8, optionally gzip (Content-Encoding). Streamed: any size up to ' +
      'INGESTION_MAX_BODY_BYTES. Each record is validated on its own; 202 means every accepted record is durably in Kafka. ' +
      'With mode=snapshot&snapshotId=… the delivery belongs to a snapshot (complete it with …/snapshots/{snapshotId}/complete). ' +
      'Needs the ingest role for the source.',
  })
  @ApiParam(SOURCE_PARAM)
  @ApiQuery({
    name: 'mode',
    required: false,
    enum: ['snapshot'],
    description: 'With snapshotId: the delivery is part of a snapshot. Either both mode and snapshotId or neither (else 400).',
  })
  @ApiQuery({
    name: 'snapshotId',
    required: false,
    schema: { type: 'string', pattern: SNAPSHOT_ID_PATTERN },
    description: 'Only with mode=snapshot: 1–64 characters of A-Z a-z 0-9 . _ : -',
  })
  @ApiRequestContent(
    {
      // Any element: each is validated on its own, and one that is no object is a rejected record of the 202.
      'application/json': { schema: { type: 'array', items: {} } },
      'application/x-ndjson': { schema: { type: 'string' } },
      'text/csv': { schema: { type: 'string' } },
    },
    {
      description:
        'The records: a JSON array of objects, NDJSON (one object per line) or CSV with a header row naming the fields ' +
        '(see GET /api/v1/sources); a body that is none of these is a 400. Each record is validated on its own: an element ' +
        'that is no object, or a record breaking its source’s schema, is counted as rejected and listed in the errors.',
    },
  )
  @ApiResponse({
    status: 202,
    description: 'Processed: counts and the errors (at most 1000 listed)',
    schema: DELIVERY_REPORT_SCHEMA,
  })
  @ApiProblems({
    400: 'The body cannot be read (not JSON, CSV without header, …) or a bad query parameter',
    401: 'Missing or unknown token',
    403: 'The token lacks the ingest role or the source',
    404: 'Unknown source',
    409: 'Another snapshot of the source is open, or this one is completed',
    413: 'The body exceeds INGESTION_MAX_BODY_BYTES',
    415: 'Unsupported content type, charset or content encoding (gzip and identity are accepted)',
    503: 'Kafka or MongoDB unavailable: resend the delivery (a re-send replaces, it never duplicates)',
  })
  async deliver(
    @Param('source') source: string,
    @Query() query: Record<string, unknown>,
    @Headers('authorization') authorization: string | undefined,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<DeliveryReport> {
    const declaration = await this.authorizedSource(authorization, source);
    const principal = authorize(this.tokens, authorization, { role: 'ingest', source });
    const snapshotId = snapshotIdOf(query);
    const headers = request.headers;
    let format, gzip;
    try {
      format = formatOfContentType(headers['content-type']);
      gzip = isGzipEncoding(headers['content-encoding'] as string | undefined);
    } catch (e) {
      throw this.bodyProblem(e as UnreadableBodyError);
    }
    const length = Number(headers['content-length'] ?? NaN);
    if (length > this.env.INGESTION_MAX_BODY_BYTES) {
      reply.header('connection', 'close');
      throw problem(
        413,
        'Content Too Large',
        `the body is larger than the limit of ${this.env.INGESTION_MAX_BODY_BYTES} bytes`,
      );
    }
    // the client going away (its connection closed before the answer) stops the work, gzip or not
    const gone = new AbortController();
    const onClose = () => {
      if (!reply.raw.writableFinished) gone.abort();
    };
    reply.raw.once('close', onClose);
    try {
      return await this.deliveries.deliver({
        declaration,
        body: request.raw,
        format,
        gzip,
        snapshotId,
        channel: 'http',
        deliveredBy: principal.name,
        signal: gone.signal,
      });
    } catch (e) {
      if (e instanceof SnapshotConflictError) throw problem(409, 'Conflict', e.message);
      if (!(e instanceof DeliveryInterruptedError)) throw e;
      reply.header('connection', 'close');
      const counts = { received: e.report.received, published: e.published, errors: e.report.errors };
      switch (e.why) {
        case 'unreadable':
          throw this.bodyProblem(e.cause as UnreadableBodyError, counts);
        case 'too_large':
          throw problem(413, 'Content Too Large', (e.cause as Error).message + publishedNote(e.published), counts);
        case 'aborted':
          throw problem(400, 'Bad Request', (e.cause as Error).message + publishedNote(e.published), counts);
        case 'unavailable':
          throw problem(
            503,
            'Service Unavailable',
            'the records could not be stored durably (Kafka or MongoDB unavailable): resend the delivery' +
              publishedNote(e.published),
            counts,
          );
      }
    }
  }

  @Post(':source/snapshots/:snapshotId/complete')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Complete a snapshot',
    description:
      'The snapshot deliveries together form a complete extract: every record of the source that is not in it (and was not delivered ' +
      'since the snapshot began) is retracted. Idempotent. A snapshot without an accepted record would retract the whole source: ' +
      'refused (409) unless force=true. Needs the ingest role for the source.',
  })
  @ApiQuery({
    name: 'force',
    required: false,
    schema: { type: 'boolean', default: false },
    description: 'Complete even a snapshot without an accepted record (retracts every record of the source)',
  })
  @ApiParam(SOURCE_PARAM)
  @ApiParam({ name: 'snapshotId', schema: { type: 'string', pattern: SNAPSHOT_ID_PATTERN } })
  @ApiResponse({ status: 200, schema: SNAPSHOT_SCHEMA })
  @ApiProblems({
    401: 'Missing or unknown token',
    400: 'force is not true or false',
    403: 'The token lacks the ingest role or the source',
    404: 'Unknown source or snapshot',
    409: 'The snapshot has no accepted record (completing it would retract the whole source) and force is not true',
    503: 'MongoDB or Kafka unavailable: try again (completing is idempotent)',
  })
  async complete(
    @Param('source') source: string,
    @Param('snapshotId') snapshotId: string,
    @Query('force') force: unknown,
    @Headers('authorization') authorization: string | undefined,
  ) {
    await this.authorizedSource(authorization, source);
    authorize(this.tokens, authorization, { role: 'ingest', source });
    if (force !== undefined && force !== 'true' && force !== 'false')
      throw problem(400, 'Bad Request', 'force must be true or false', { errors: [{ parameter: 'force', message: 'must be true or false' }] });
    if (!isSnapshotId(snapshotId)) throw problem(404, 'Not Found', 'no such snapshot');
    try {
      const s = await this.snapshots.complete(source, snapshotId, { force: force === 'true' });
      return {
        source: s.source,
        snapshotId: s.snapshotId,
        status: s.status,
        deliveries: s.deliveries,
        accepted: s.accepted,
        retracted: s.retracted,
        startedAt: s.startedAt.toISOString(),
        completedAt: s.completedAt?.toISOString(),
      };
    } catch (e) {
      if (e instanceof SnapshotNotFoundError) throw problem(404, 'Not Found', e.message);
      if (e instanceof EmptySnapshotError) throw problem(409, 'Conflict', e.message);
      throw e;
    }
  }

  /** 401/403 before anything else (an anonymous caller learns nothing), then 404 for an unknown source. */
  private async authorizedSource(authorization: string | undefined, source: string): Promise<SourceDeclaration> {
    authorize(this.tokens, authorization, { role: 'ingest' });
    let declaration = deliverableSource(source);
    if (!declaration && SOURCE_NAME.test(source)) {
      // Registered a moment ago on another instance: read the source topic to its end first.
      await this.sources.catchUpIfPossible();
      declaration = deliverableSource(source);
    }
    if (!declaration) throw problem(404, 'Not Found', `unknown source: see GET /api/v1/sources`);
    return declaration;
  }

  private bodyProblem(e: UnreadableBodyError, extra: Record<string, unknown> = {}) {
    const title = e.status === 415 ? 'Unsupported Media Type' : 'Bad Request';
    const published = typeof extra.published === 'number' ? publishedNote(extra.published) : '';
    return problem(e.status, title, e.message + published, {
      ...(e.line !== undefined ? { line: e.line } : {}),
      ...extra,
    });
  }
}

const publishedNote = (published: number) =>
  published > 0
    ? `; the ${published} valid records before that point were published (a corrected re-send replaces them)`
    : '; nothing was published';
