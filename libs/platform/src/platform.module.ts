import { DynamicModule, Module, type Provider, type Type } from '@nestjs/common';
import { APP_FILTER, APP_INTERCEPTOR, ModuleRef } from '@nestjs/core';
import { TerminusModule, type HealthIndicatorResult } from '@nestjs/terminus';
import { HealthController, READINESS_CHECKS, type ReadinessCheck } from './health';
import { loggingModule } from './logging';
import { HttpMetricsInterceptor, MetricsController, collectProcessMetrics } from './metrics';
import { ProblemDetailsFilter } from './problem-details.filter';
import { ReadinessMetrics } from './readiness.metrics';

export interface HealthIndicatorLike {
  isHealthy(): Promise<HealthIndicatorResult>;
}

export interface PlatformModuleOptions {
  service: string;
  logLevel?: string;
  /** Indicators that must be up for /health/ready (KafkaHealthIndicator, MongoHealthIndicator, …). */
  readiness?: Type<HealthIndicatorLike>[];
}

/** Logging, metrics, health endpoints and RFC 9457 errors: what every service exposes the same way. */
@Module({})
export class PlatformModule {
  static forRoot(options: PlatformModuleOptions): DynamicModule {
    collectProcessMetrics(options.service);
    const readiness: Provider = {
      provide: READINESS_CHECKS,
      inject: [ModuleRef],
      useFactory: (refs: ModuleRef): ReadinessCheck[] =>
        (options.readiness ?? []).map((type) => () => refs.get(type, { strict: false }).isHealthy()),
    };
    return {
      module: PlatformModule,
      imports: [
        TerminusModule.forRoot({ logger: false }),
        loggingModule(options.service, options.logLevel ?? process.env.LOG_LEVEL ?? 'info'),
      ],
      controllers: [HealthController, MetricsController],
      providers: [
        readiness,
        ReadinessMetrics,
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
        { provide: APP_INTERCEPTOR, useClass: HttpMetricsInterceptor },
      ],
      exports: [TerminusModule],
    };
  }
}
