import 'reflect-metadata';
import type { DynamicModule, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { OpenAPIObject } from '@nestjs/swagger';
import { loadEnvironment } from '@sozialmonitor/config';
import { buildOpenApiDocument, type HttpServiceOptions } from '@sozialmonitor/platform';

export const HTTP_SERVICES = ['ingestion', 'anonymization', 'kpi-calculation', 'publication'] as const;
export type HttpServiceName = (typeof HTTP_SERVICES)[number];

/**
 * The environment the documents are built with. Nothing connects (Nest's preview mode instantiates no
 * provider), but the modules validate their configuration when they are defined: these values pass
 * that validation and do not appear in any document. Not secrets: no service ever runs with them.
 */
const DOCUMENT_ENVIRONMENT: NodeJS.ProcessEnv = {
  NODE_ENV: 'production',
  KAFKA_BROKERS: '127.0.0.1:9092',
  MONGO_URL: 'mongodb://127.0.0.1:27017/openapi',
  REDIS_URL: 'redis://127.0.0.1:6379',
  API_TOKENS: '[]',
  RAW_ENCRYPTION_KEYS: `openapi:${Buffer.alloc(32).toString('base64')}`,
  PSEUDONYM_KEYS: `openapi:${Buffer.alloc(32).toString('base64')}`,
};

interface ServiceDefinition {
  module: Type<unknown> | DynamicModule;
  options: HttpServiceOptions;
}

/** Each service's root module and HTTP options exactly as its main.ts builds them (loaded lazily: one at a time). */
function definitionOf(service: HttpServiceName, env: NodeJS.ProcessEnv): ServiceDefinition {
  switch (service) {
    case 'ingestion': {
      /* eslint-disable @typescript-eslint/no-require-imports -- lazily, so that only the service asked for is loaded */
      const { IngestionModule } = require('../../../apps/ingestion/src/ingestion.module');
      const { IngestionEnvironment } = require('../../../apps/ingestion/src/ingestion.environment');
      const { ingestionHttpOptions } = require('../../../apps/ingestion/src/http/ingestion-http');
      return { module: IngestionModule, options: ingestionHttpOptions(loadEnvironment(IngestionEnvironment, env)) };
    }
    case 'anonymization': {
      const { AnonymizationModule } = require('../../../apps/anonymization/src/anonymization.module');
      const { AnonymizationEnvironment } = require('../../../apps/anonymization/src/anonymization.environment');
      const { anonymizationHttpOptions } = require('../../../apps/anonymization/src/anonymization-http');
      return {
        module: AnonymizationModule.forRoot(env),
        options: anonymizationHttpOptions(loadEnvironment(AnonymizationEnvironment, env)),
      };
    }
    case 'kpi-calculation': {
      const { kpiCalculationAppModule } = require('../../../apps/kpi-calculation/src/kpi-calculation.module');
      const { KpiCalculationEnvironment } = require('../../../apps/kpi-calculation/src/kpi-calculation.environment');
      const { kpiCalculationHttpOptions } = require('../../../apps/kpi-calculation/src/kpi-calculation-http');
      return {
        module: kpiCalculationAppModule(env),
        options: kpiCalculationHttpOptions(loadEnvironment(KpiCalculationEnvironment, env)),
      };
    }
    case 'publication': {
      const {
        publicationRootModule,
        publicationServiceOptions,
      } = require('../../../apps/publication/src/publication.module');
      const { PublicationEnvironment } = require('../../../apps/publication/src/publication.environment');
      /* eslint-enable @typescript-eslint/no-require-imports */
      return {
        module: publicationRootModule(env),
        options: publicationServiceOptions(loadEnvironment(PublicationEnvironment, env)),
      };
    }
  }
}

/**
 * A service's OpenAPI document as `/api/openapi.json` serves it, built without starting anything: the
 * module graph in Nest's preview mode (no provider instantiated, so no Kafka, MongoDB or Redis) and the
 * same buildOpenApiDocument as createHttpService.
 */
export async function openApiDocumentOf(service: HttpServiceName): Promise<OpenAPIObject> {
  // Only these values: the documents must not depend on the environment of whoever builds them.
  const env = { ...DOCUMENT_ENVIRONMENT };
  const { module, options } = definitionOf(service, env);
  const app = await NestFactory.create(module, new FastifyAdapter(), {
    preview: true,
    logger: false,
    abortOnError: false,
  });
  try {
    return buildOpenApiDocument(app, options.openApi!);
  } finally {
    await app.close();
  }
}
