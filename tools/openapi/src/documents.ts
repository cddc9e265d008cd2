import 'reflect-metadata';
import type { DynamicModule, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { OpenAPIObject } from '@nestjs/swagger';
import { loadEnvironment } from '@sozialmonitor/config';
import { randomBytes } from 'node:crypto';
import type { ClassConstructor } from 'class-transformer';
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
  // production refuses weak keys and a missing token list (docs/security.md): random ones, never used
  API_TOKENS: JSON.stringify([{ name: 'openapi', token: randomBytes(24).toString('base64url'), roles: ['admin'] }]),
  RAW_ENCRYPTION_KEYS: `openapi-raw:${randomBytes(32).toString('base64')}`,
  PSEUDONYM_KEYS: `openapi-ps:${randomBytes(32).toString('base64')}`,
  METRICS_TOKEN: randomBytes(24).toString('base64url'),
};

/** The app's module and environment class as its main.ts passes them to runHttpService (loaded lazily: one at a time). */
function definitionOf(service: HttpServiceName): {
  environment: ClassConstructor<object>;
  appModule: {
    forRoot(env: NodeJS.ProcessEnv): Type<unknown> | DynamicModule;
    httpOptions(config: object): HttpServiceOptions;
  };
} {
  /* eslint-disable @typescript-eslint/no-require-imports -- lazily, so that only the service asked for is loaded */
  switch (service) {
    case 'ingestion':
      return {
        environment: require('../../../apps/ingestion/src/ingestion.environment').IngestionEnvironment,
        appModule: require('../../../apps/ingestion/src/ingestion.module').IngestionModule,
      };
    case 'anonymization':
      return {
        environment: require('../../../apps/anonymization/src/anonymization.environment').AnonymizationEnvironment,
        appModule: require('../../../apps/anonymization/src/anonymization.module').AnonymizationModule,
      };
    case 'kpi-calculation':
      return {
        environment: require('../../../apps/kpi-calculation/src/kpi-calculation.environment').KpiCalculationEnvironment,
        appModule: require('../../../apps/kpi-calculation/src/kpi-calculation.module').KpiCalculationModule,
      };
    case 'publication':
      return {
        environment: require('../../../apps/publication/src/publication.environment').PublicationEnvironment,
        appModule: require('../../../apps/publication/src/publication.module').PublicationModule,
      };
  }
  /* eslint-enable @typescript-eslint/no-require-imports */
}

/**
 * A service's OpenAPI document as `/api/openapi.json` serves it, built without starting anything: the
 * module graph in Nest's preview mode (no provider instantiated, so no Kafka, MongoDB or Redis) and the
 * same buildOpenApiDocument as createHttpService.
 */
export async function openApiDocumentOf(service: HttpServiceName): Promise<OpenAPIObject> {
  // Only these values: the documents must not depend on the environment of whoever builds them.
  const env = { ...DOCUMENT_ENVIRONMENT };
  const { environment, appModule } = definitionOf(service);
  const options = appModule.httpOptions(loadEnvironment(environment, env));
  const app = await NestFactory.create(appModule.forRoot(env), new FastifyAdapter(), {
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
