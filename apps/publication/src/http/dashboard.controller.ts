import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { problem } from '@sozialmonitor/platform';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { etagOf, matchesIfNoneMatch } from '../domain/http-caching';
import { assetFile, DASHBOARD_CSP } from '../domain/static-assets';
import { PublicationEnvironment } from '../publication.environment';

/**
 * The dashboard for people (`GET /`) and its assets, from the build in PUBLICATION_WEB_DIR
 * (`npm run build:web`, apps/publication/web). Assets have content hashes in their names: cached for a
 * year; the page itself is revalidated (ETag) so a new build shows at once.
 */
@ApiTags('dashboard')
@Controller()
export class DashboardController {
  private readonly dir: string;

  constructor(env: PublicationEnvironment) {
    this.dir = resolve(env.PUBLICATION_WEB_DIR);
  }

  @Get()
  @ApiOperation({ summary: 'The dashboard: map, trends, profiles, downloads (HTML; every asset from this service)' })
  @ApiProduces('text/html')
  async page(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const html = await this.read('index.html');
    const type = 'text/html; charset=utf-8';
    const etag = etagOf(html.toString('utf8'), type);
    reply
      .header('ETag', etag)
      .header('Cache-Control', 'public, no-cache')
      .header('Content-Security-Policy', DASHBOARD_CSP)
      .header('X-Content-Type-Options', 'nosniff')
      .header('Referrer-Policy', 'no-referrer');
    if (matchesIfNoneMatch(request.headers['if-none-match'], etag)) return reply.status(304).send();
    return reply.status(200).header('Content-Type', type).send(html);
  }

  @Get('assets/:name')
  @ApiExcludeEndpoint()
  async asset(@Param('name') name: string, @Res() reply: FastifyReply) {
    const file = assetFile(name);
    if (!file) throw problem(404, 'Not Found', 'no such asset');
    const body = await this.read(join('assets', file.name));
    return reply
      .status(200)
      .header('Content-Type', file.type)
      .header('Cache-Control', 'public, max-age=31536000, immutable')
      .header('X-Content-Type-Options', 'nosniff')
      .send(body);
  }

  private async read(relative: string): Promise<Buffer> {
    try {
      return await readFile(join(this.dir, relative));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      if (relative === 'index.html')
        throw problem(503, 'Service Unavailable', 'the dashboard is not built (npm run build:web)');
      throw problem(404, 'Not Found', 'no such asset');
    }
  }
}
