import { TOPICS } from '@sozialmonitor/contracts';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, MinLength, ValidateIf } from 'class-validator';

const BROKER_LIST = /^[A-Za-z0-9.\-_]+:\d{1,5}(,[A-Za-z0-9.\-_]+:\d{1,5})*$/;
const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/** Variables every service reads. */
export class BaseEnvironment {
  @IsIn(['development', 'test', 'production', 'demo'], {
    message: 'must be one of development, test, production, demo',
  })
  NODE_ENV: string = 'development';

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
    message: 'must be a pino level (info, debug, …)',
  })
  LOG_LEVEL: string = 'info';

  /** Address the HTTP server binds to. */
  @IsString()
  HOST: string = '0.0.0.0';

  /** A socket without traffic for this long is closed (api.md limits: a dripped body, an idle client). */
  @Type(() => Number)
  @IsInt({ message: 'must be an integer number of milliseconds' })
  @Min(1000, { message: 'must be at least 1000 ms' })
  HTTP_CONNECTION_TIMEOUT_MS: number = 60_000;

  /** The whole request, body included, must arrive within this time (408 otherwise). */
  @Type(() => Number)
  @IsInt({ message: 'must be an integer number of milliseconds' })
  @Min(1000, { message: 'must be at least 1000 ms' })
  HTTP_REQUEST_TIMEOUT_MS: number = 600_000;

  /** Open connections per instance. */
  @Type(() => Number)
  @IsInt({ message: 'must be an integer' })
  @Min(1, { message: 'must be at least 1' })
  HTTP_MAX_CONNECTIONS: number = 1000;

  /** Requests per client address and minute; more are answered 429 with Retry-After. */
  @Type(() => Number)
  @IsInt({ message: 'must be an integer' })
  @Min(1, { message: 'must be at least 1' })
  HTTP_RATE_LIMIT_PER_MINUTE: number = 6000;

  /** Take the client address from X-Forwarded-For: only behind a proxy that sets it (else anyone picks their address). */
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() === 'true' : value))
  @IsBoolean({ message: 'must be true or false' })
  HTTP_TRUST_PROXY: boolean = false;

  /**
   * Bearer token Prometheus presents for /metrics; with it set, the readiness details (which dependency
   * is down, its error) are shown only with it too. Required in production (issue 11, hole 9).
   */
  @ValidateIf((o: BaseEnvironment) => o.NODE_ENV === 'production' || o.METRICS_TOKEN !== undefined)
  @IsString({ message: 'is required in production: /metrics and the readiness details are not public' })
  @MinLength(16, { message: 'must be at least 16 characters' })
  METRICS_TOKEN?: string;
}

/** Kafka and the topic settings the services create topics with (events.md). */
export class KafkaEnvironment extends BaseEnvironment {
  @Transform(trim)
  @Matches(BROKER_LIST, { message: 'must be a comma-separated list of host:port' })
  KAFKA_BROKERS: string;

  @Type(() => Number)
  @IsInt({ message: 'must be an integer' })
  @Min(1, { message: 'must be at least 1' })
  @Max(1000, { message: 'must be at most 1000' })
  TOPIC_PARTITIONS: number = 6;

  @Type(() => Number)
  @IsInt({ message: 'must be an integer' })
  @Min(1, { message: 'must be at least 1' })
  @Max(10, { message: 'must be at most 10' })
  TOPIC_REPLICATION_FACTOR: number = 1;

  @Type(() => Number)
  @IsInt({ message: 'must be an integer number of days' })
  @Min(1, { message: 'must be at least 1 day' })
  @Max(3650, { message: 'must be at most 3650 days' })
  RAW_RETENTION_DAYS: number = 7;

  /** TLS to the brokers (issue 11, hole 8); the CA, client certificate and key as PEM files when not the system's. */
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() === 'true' : value))
  @IsBoolean({ message: 'must be true or false' })
  KAFKA_SSL: boolean = false;

  @IsOptional()
  @IsString({ message: 'must be the path of a PEM file' })
  KAFKA_SSL_CA_FILE?: string;

  @IsOptional()
  @IsString({ message: 'must be the path of a PEM file' })
  KAFKA_SSL_CERT_FILE?: string;

  @IsOptional()
  @IsString({ message: 'must be the path of a PEM file' })
  KAFKA_SSL_KEY_FILE?: string;

  /** SASL authentication to the brokers; unset = none. */
  @IsOptional()
  @IsIn(['plain', 'scram-sha-256', 'scram-sha-512'], { message: 'must be plain, scram-sha-256 or scram-sha-512' })
  KAFKA_SASL_MECHANISM?: string;

  @IsOptional()
  @IsString()
  KAFKA_SASL_USERNAME?: string;

  /** Secret: better KAFKA_SASL_PASSWORD_FILE. */
  @IsOptional()
  @IsString()
  KAFKA_SASL_PASSWORD?: string;

  /** The source topic: registered source declarations and their audit trail, followed by every service (tests use a private one). */
  @TopicName()
  SOURCES_TOPIC: string = TOPICS.sources;

  /** Retries of a failing message before it goes to the dead-letter topic. */
  @Type(() => Number)
  @IsInt({ message: 'must be an integer' })
  @Min(0, { message: 'must be at least 0' })
  @Max(20, { message: 'must be at most 20' })
  CONSUMER_MAX_RETRIES: number = 3;
}

export class MongoEnvironment {
  @Matches(/^mongodb(\+srv)?:\/\/\S+$/, { message: 'must be a mongodb:// or mongodb+srv:// URL' })
  MONGO_URL: string;
}

export class RedisEnvironment {
  @Matches(/^rediss?:\/\/\S+$/, { message: 'must be a redis:// or rediss:// URL' })
  REDIS_URL: string;
}

export class ApiTokensEnvironment {
  /** JSON array of {name, token, roles, sources?} (api.md). Parsed and hashed by the auth module. */
  @IsOptional()
  @IsString()
  API_TOKENS?: string;
}

export class IndicatorEnvironment {
  @Type(() => Number)
  @IsInt({ message: 'must be an integer' })
  @Min(2, { message: 'must be at least 2' })
  @Max(100, { message: 'must be at most 100' })
  SUPPRESSION_THRESHOLD: number = 3;

  @Type(() => Number)
  @IsInt({ message: 'must be a year' })
  @Min(1990, { message: 'must be 1990 or later' })
  @Max(2100, { message: 'must be 2100 or earlier' })
  FIRST_YEAR: number = 2015;
}

/** Port validation shared by the services' own PORT variables. */
export const PORT_RULES = [
  Type(() => Number),
  IsInt({ message: 'must be an integer port' }),
  Min(1, { message: 'must be a port (1–65535)' }),
  Max(65535, { message: 'must be a port (1–65535)' }),
];
export function Port(): PropertyDecorator {
  return (target, key) => PORT_RULES.forEach((d) => d(target, key));
}

/**
 * A topic name variable. The services' topic variables default to the contract's names (events.md) and
 * are overridden only to isolate tests and benchmarks on a shared broker.
 */
export function TopicName(): PropertyDecorator {
  return Matches(/^[A-Za-z0-9._-]{1,200}$/, { message: 'must be a Kafka topic name (1–200 of A-Z a-z 0-9 . _ -)' });
}

/** "Today" of the services that publish and answer periods (kpi-calculation, publication): one calendar. */
export class ClockEnvironment {
  /** Time zone whose calendar date is "today" (the Stichtag of `current`). */
  @IsString({ message: 'must be an IANA time zone such as Europe/Berlin' })
  TIME_ZONE: string = 'Europe/Berlin';

  /** Fixed "today" (YYYY-MM-DD) for tests and demos; unset = the real calendar date. */
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date YYYY-MM-DD' })
  KPI_TODAY?: string;
}
