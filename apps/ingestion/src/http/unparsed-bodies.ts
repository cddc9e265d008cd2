import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';

/**
 * Delivery bodies are streamed by the controller, so Fastify must not parse (or buffer) any body:
 * every content type gets a parser that leaves the request stream untouched; the controller decides
 * about content types (415) and sizes (413) itself. Nest registers its JSON and form parsers while it
 * initializes, so they are replaced here, at bootstrap — after Nest's registration, before Fastify
 * starts listening.
 */
@Injectable()
export class UnparsedBodies implements OnApplicationBootstrap {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onApplicationBootstrap(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify) return;
    fastify.removeAllContentTypeParsers();
    fastify.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));
  }
}
