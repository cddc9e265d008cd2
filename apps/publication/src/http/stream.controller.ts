import { type BeforeApplicationShutdown, Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ServerResponse } from 'node:http';
import { Catalogue } from '@sozialmonitor/indicators/catalogue';
import { ChangeFeed, type PublishedChange } from '../application/change-feed';
import { parseStreamQuery, type RawQuery, type StreamQuery } from '../domain/query-parameters';
import { problem } from '@sozialmonitor/platform';
import { PublicationEnvironment } from '../publication.environment';
import { valueView } from '../domain/value-record';
import { badParameters } from './responder';

const HEARTBEAT_MS = 15_000;
/** A client that stops reading is let go before its backlog grows without bound. */
const MAX_BACKLOG_BYTES = 1_000_000;

function wanted(filter: StreamQuery, change: PublishedChange): boolean {
  return (
    (!filter.indicators || filter.indicators.has(change.record.indicatorId)) &&
    (!filter.regions || filter.regions.has(change.record.regionCode))
  );
}

@ApiTags('stream')
@Controller('api/v1/stream')
export class StreamController implements BeforeApplicationShutdown {
  private readonly open = new Set<ServerResponse>();

  constructor(
    private readonly feed: ChangeFeed,
    private readonly catalogue: Catalogue,
    private readonly env: PublicationEnvironment,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'Server-sent events: every published change of a value (event `kpi-value`)',
    description:
      'Each event carries the value as `/indicators/{id}/values` shows it, plus `indicator` and `publishedAt`; the period is `YYYY` or `current`.',
  })
  @ApiQuery({ name: 'indicator', required: false, isArray: true })
  @ApiQuery({ name: 'region', required: false, isArray: true })
  @ApiProduces('text/event-stream')
  stream(@Query() query: RawQuery, @Req() request: FastifyRequest, @Res() reply: FastifyReply): void {
    const parsed = parseStreamQuery(query, (id) => this.catalogue.current(id) !== undefined);
    if (!parsed.ok) throw badParameters(parsed.errors);
    // every stream holds a socket and a subscription for as long as the client likes: capped per instance
    if (this.open.size >= this.env.PUBLICATION_SSE_MAX_STREAMS)
      throw problem(503, 'Service Unavailable', 'too many open change streams; try again later', { retryAfter: 30 });
    const filter = parsed.value;
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.write('retry: 3000\n: connected\n\n');
    const unsubscribe = this.feed.subscribe((change) => {
      if (!wanted(filter, change)) return;
      const def = this.catalogue.current(change.record.indicatorId);
      if (!def) return;
      const data = {
        indicator: { id: def.id, unit: def.unit, version: def.version },
        ...valueView(change.record, change.record.period),
        publishedAt: change.publishedAt,
      };
      res.write(`id: ${change.id}\nevent: kpi-value\ndata: ${JSON.stringify(data)}\n\n`);
      if (res.writableLength > MAX_BACKLOG_BYTES) res.end();
    });
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
    heartbeat.unref();
    const close = () => {
      clearInterval(heartbeat);
      unsubscribe();
      this.open.delete(res);
    };
    res.on('close', close);
    request.raw.on('close', close);
    this.open.add(res);
  }

  /** Open streams would keep the server from closing: end them first. */
  beforeApplicationShutdown(): void {
    for (const res of this.open) res.end();
  }
}
