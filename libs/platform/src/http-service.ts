import type { NestMicroservice } from '@nestjs/microservices';
import { type DynamicModule, type INestApplication, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { ConfigurationError, loadEnvironment } from '@sozialmonitor/config';
import type { ClassConstructor } from 'class-transformer';
import {
  KafkaBatchTransport,
  type KafkaBatchTransportOptions,
  RethrowRpcExceptionFilter,
} from '@sozialmonitor/messaging';
import { Logger } from 'nestjs-pino';
import { applyHttpLimits, DEFAULT_HTTP_LIMITS, fastifyLimitOptions, type HttpLimits } from './http-limits';

export interface HttpServiceOptions {
  service: string;
  port: number;
  host?: string;
  openApi?: { title: string; description: string; version?: string };
  /** Request body limit in bytes (Fastify); streamed bodies handle their own limits. */
  bodyLimit?: number;
  /** Starts a Kafka batch consumer for the app's `@EventPattern(topic)` handlers. */
  consumer?: (app: INestApplication) => KafkaBatchTransportOptions;
  /** Timeouts, connection cap, rate limit (`httpLimitsOf(env)`); DEFAULT_HTTP_LIMITS when absent. */
  limits?: HttpLimits;
  /** Called after the app is created, before it listens (content-type parsers, hooks). */
  configure?: (app: NestFastifyApplication) => void | Promise<void>;
}

/** Creates the Nest app on Fastify with OpenAPI, structured logs and graceful shutdown. */
export async function createHttpService(
  module: Type<unknown> | DynamicModule,
  options: HttpServiceOptions,
): Promise<NestFastifyApplication> {
  const limits = options.limits ?? DEFAULT_HTTP_LIMITS;
  const app = await NestFactory.create<NestFastifyApplication>(
    module,
    new FastifyAdapter({ bodyLimit: options.bodyLimit ?? 1024 * 1024, ...(fastifyLimitOptions(limits) as object) }),
    { bufferLogs: true, abortOnError: false },
  );
  await applyHttpLimits(app, limits);
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  if (options.openApi) {
    const config = new DocumentBuilder()
      .setTitle(options.openApi.title)
      .setDescription(options.openApi.description)
      .setVersion(options.openApi.version ?? '1')
      .addBearerAuth()
      .build();
    const document = SwaggerModule.createDocument(app, config);
    SwaggerModule.setup('api/docs', app, document, {
      jsonDocumentUrl: 'api/openapi.json',
      yamlDocumentUrl: 'api/openapi.yaml',
    });
  }
  // Nest sets up a connected microservice's handlers at once, with the global filters it has then, and
  // ignores filters added later (with a warning). Deferred, its handlers are set up when it starts
  // listening, after the filter below; the app (not the microservice) runs the lifecycle hooks.
  if (options.consumer) {
    const microservice = app.connectMicroservice(
      { strategy: new KafkaBatchTransport(options.consumer(app)) },
      { inheritAppConfig: false, deferInitialization: true },
    );
    microservice.useGlobalFilters(new RethrowRpcExceptionFilter());
    (microservice as unknown as NestMicroservice).setIsInitHookCalled(true);
  }
  await options.configure?.(app);
  return app;
}

/** What `runHttpService` starts: every app's main.ts passes its module and options the same way. */
export interface HttpServiceDefinition<E extends object> {
  /** The app's `SERVICE` constant (names the process in the fatal line when the environment is wrong). */
  service: string;
  /** The app's environment class: checked before Nest starts. */
  environment: ClassConstructor<E>;
  /** `<App>Module.forRoot(env)`. */
  module: (env: NodeJS.ProcessEnv) => Type<unknown> | DynamicModule;
  /** `<App>Module.httpOptions(config)`. */
  options: (config: E) => HttpServiceOptions;
}

/**
 * The main() of every service: check the environment, create, start consumers, listen; a configuration
 * error ends the process with the message naming the variable; SIGTERM closes within 10 s.
 */
export async function runHttpService<E extends object>(
  definition: HttpServiceDefinition<E>,
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  const fatal = (msg: string): never => {
    process.stderr.write(JSON.stringify({ level: 'fatal', service: definition.service, msg }) + '\n');
    process.exit(1);
  };
  let options: HttpServiceOptions;
  try {
    // Validated before Nest starts so that a wrong value ends the process with a message naming it.
    options = definition.options(loadEnvironment(definition.environment, env));
  } catch (e) {
    return fatal((e as Error).message);
  }
  let app: NestFastifyApplication;
  try {
    app = await createHttpService(definition.module(env), options);
    // Module init hooks (topic creation, producer connect) must run before the consumer starts.
    await app.init();
    await app.startAllMicroservices();
    await app.listen(options.port, options.host ?? '0.0.0.0');
  } catch (e) {
    const configuration = findConfigurationError(e);
    return fatal(configuration ? configuration.message : `start failed: ${(e as Error)?.message}`);
  }
  process.stdout.write(
    JSON.stringify({
      level: 'info',
      service: options.service,
      msg: `listening on ${options.host ?? '0.0.0.0'}:${options.port}`,
    }) + '\n',
  );
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => setTimeout(() => process.exit(0), 10_000).unref());
  }
}

function findConfigurationError(e: unknown): ConfigurationError | undefined {
  for (let x = e, i = 0; x && i < 5; x = (x as { cause?: unknown }).cause, i++) {
    if (x instanceof ConfigurationError) return x;
  }
  return undefined;
}
