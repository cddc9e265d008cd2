import { IntersectionType } from '@nestjs/mapped-types';
import {
  ApiTokensEnvironment,
  ClockEnvironment,
  IndicatorEnvironment,
  KafkaEnvironment,
  MongoEnvironment,
  Port,
  RedisEnvironment,
  TopicName,
} from '@sozialmonitor/config';
import { TOPICS } from '@sozialmonitor/contracts';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { WebhookEnvironment } from './webhook.environment';

/** The service's name in logs, metrics, consumer groups and dead letters. */
export const SERVICE = 'publication';

/** The publication service's configuration (operations.md, README); validated at start. */
export class PublicationEnvironment extends IntersectionType(
  KafkaEnvironment,
  MongoEnvironment,
  RedisEnvironment,
  ApiTokensEnvironment,
  IndicatorEnvironment,
  ClockEnvironment,
  WebhookEnvironment,
) {
  @Port()
  PUBLICATION_PORT: number = 3000;

  /** Where the kpi-calculation service answers on-demand Stichtage. */
  @Matches(/^https?:\/\/\S+$/, { message: 'must be an http(s) URL' })
  KPI_CALCULATION_URL: string = 'http://127.0.0.1:3003';

  /**
   * The bearer token publication presents to kpi-calculation's internal endpoint (a token with the role
   * `internal` in kpi-calculation's API_TOKENS; api.md). Without it on-demand Stichtage answer 503.
   */
  @IsOptional()
  @IsString({ message: 'must be a token' })
  KPI_CALCULATION_TOKEN?: string;

  /** How long an on-demand Stichtag may take before the API answers 503. */
  @Type(() => Number)
  @IsInt({ message: 'must be an integer number of milliseconds' })
  @Min(100, { message: 'must be at least 100' })
  @Max(120_000, { message: 'must be at most 120000' })
  KPI_CALCULATION_TIMEOUT_MS: number = 15_000;

  /** The KPI topic the read model is fed from (tests use a private one). */
  @TopicName()
  PUBLICATION_KPI_TOPIC: string = TOPICS.kpiValues;

  /** The catalogue versions (made by kpi-calculation's admin API), followed from the beginning. */
  @TopicName()
  CATALOGUE_TOPIC: string = TOPICS.catalogue;

  @Matches(/^[A-Za-z0-9._-]{1,200}$/, { message: 'must be a consumer group id (letters, digits, . _ -)' })
  PUBLICATION_CONSUMER_GROUP: string = 'publication';

  /** Prefix of every Redis key and channel of this service (several deployments may share a Redis). */
  @Matches(/^[A-Za-z0-9:._-]{1,100}$/, { message: 'must be letters, digits and : . _ -' })
  PUBLICATION_CACHE_PREFIX: string = 'sozialmonitor:publication';

  /** Lifetime of cached answers of published values; events invalidate them long before. */
  @Type(() => Number)
  @IsInt({ message: 'must be an integer number of seconds' })
  @Min(1, { message: 'must be at least 1' })
  @Max(30 * 86_400, { message: 'must be at most 2592000' })
  PUBLICATION_CACHE_TTL_SECONDS: number = 86_400;

  /** Lifetime of cached on-demand Stichtage (no event names them; a new value of the indicator drops them too). */
  @Type(() => Number)
  @IsInt({ message: 'must be an integer number of seconds' })
  @Min(1, { message: 'must be at least 1' })
  @Max(7 * 86_400, { message: 'must be at most 604800' })
  PUBLICATION_STICHTAG_TTL_SECONDS: number = 3_600;

  /** Open change streams (SSE) per instance; more are answered 503 with Retry-After (api.md limits). */
  @Type(() => Number)
  @IsInt({ message: 'must be an integer' })
  @Min(1, { message: 'must be at least 1' })
  @Max(100_000, { message: 'must be at most 100000' })
  PUBLICATION_SSE_MAX_STREAMS: number = 500;

  /** How often an instance reads what the other instances of the deployment added to the read model. */
  @Type(() => Number)
  @IsInt({ message: 'must be an integer number of milliseconds' })
  @Min(50, { message: 'must be at least 50' })
  @Max(60_000, { message: 'must be at most 60000' })
  PUBLICATION_LOG_POLL_MS: number = 1000;

  /**
   * The municipality boundaries of the map (GeoJSON, AGS in `properties.AGS`, top-level `attribution`);
   * relative to the working directory. A finer official file (VG250) replaces it without code changes.
   */
  @Matches(/^\S.{0,500}$/, { message: 'must be a file path' })
  PUBLICATION_BOUNDARIES_FILE: string = 'libs/regions/data/kreis_pinneberg_gemeinden_vg5000.geojson';

  /** The built dashboard (`npm run build:web`) served at `/`; relative to the working directory. */
  @Matches(/^\S.{0,500}$/, { message: 'must be a directory path' })
  PUBLICATION_WEB_DIR: string = 'dist/apps/publication/web';

  /** Chromium that prints reports to PDF (`GET /api/v1/reports/{id}/pdf`); the Debian package by default. */
  @Matches(/^\S.{0,500}$/, { message: 'must be a file path' })
  PUBLICATION_CHROMIUM_PATH: string = '/usr/bin/chromium';
}
