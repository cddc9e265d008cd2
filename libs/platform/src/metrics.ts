import { CallHandler, Controller, ExecutionContext, Get, Header, Injectable, NestInterceptor } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { collectDefaultMetrics, Histogram, register } from 'prom-client';
import { Observable, tap } from 'rxjs';

let defaultsCollected = false;
export function collectProcessMetrics(service: string): void {
  if (defaultsCollected) return;
  defaultsCollected = true;
  register.setDefaultLabels({ service });
  collectDefaultMetrics();
}

/** A metric registered once per process even when modules are created several times (tests). */
export function singletonMetric<T>(name: string, make: () => T): T {
  return (register.getSingleMetric(name) as T | undefined) ?? make();
}

const httpDuration = singletonMetric(
  'sozialmonitor_http_request_duration_seconds',
  () =>
    new Histogram({
      name: 'sozialmonitor_http_request_duration_seconds',
      help: 'HTTP request durations',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
    }),
);

/** Records each request's duration by route pattern (never by concrete URL: no ids in labels). */
@Injectable()
export class HttpMetricsInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const req = context.switchToHttp().getRequest<{ method: string; routeOptions?: { url?: string } }>();
    const res = context.switchToHttp().getResponse<{ statusCode: number }>();
    const end = httpDuration.startTimer({ method: req.method, route: req.routeOptions?.url ?? 'unknown' });
    return next
      .handle()
      .pipe(
        tap({
          next: () => end({ status: String(res.statusCode) }),
          error: (e: { status?: number }) => end({ status: String(e?.status ?? 500) }),
        }),
      );
  }
}

@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  @Get()
  @Header('Content-Type', register.contentType)
  metrics(): Promise<string> {
    return register.metrics();
  }
}
