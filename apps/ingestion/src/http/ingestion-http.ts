import { httpLimitsOf, type HttpServiceOptions } from '@sozialmonitor/platform';
import type { IngestionEnvironment } from '../ingestion.environment';

/** How the ingestion service runs as an HTTP service (main.ts and the integration tests). */
export function ingestionHttpOptions(env: IngestionEnvironment): HttpServiceOptions {
  return {
    service: 'ingestion',
    port: env.INGESTION_PORT,
    host: env.HOST,
    limits: httpLimitsOf(env),
    bodyLimit: env.INGESTION_MAX_BODY_BYTES,
    openApi: {
      title: 'Sozialmonitor ingestion',
      description:
        'Deliveries of source records (JSON array, NDJSON, CSV; gzip allowed): each record validated on its own, accepted records sealed ' +
        '(AES-256-GCM) and published to sozialmonitor.raw.records.v1. Errors name index, line, recordId, field and rule — never a value.',
    },
  };
}
