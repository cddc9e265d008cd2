import { IntersectionType } from '@nestjs/mapped-types';
import { ApiTokensEnvironment, KafkaEnvironment, MongoEnvironment, Port, TopicName } from '@sozialmonitor/config';
import { TOPICS } from '@sozialmonitor/contracts';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, Min } from 'class-validator';

/** The service's name in logs, metrics and CloudEvent sources. */
export const SERVICE = 'ingestion';

/** The ingestion service's configuration (operations.md, .env.example); validated at start. */
export class IngestionEnvironment extends IntersectionType(KafkaEnvironment, MongoEnvironment, ApiTokensEnvironment) {
  @Port()
  INGESTION_PORT: number = 3001;

  /** AES-256-GCM keys for raw records: `keyId:base64key[,older…]`, the first is current (privacy.md §1). */
  @IsString({ message: 'is required: comma-separated keyId:base64key list (at least 32 bytes each)' })
  RAW_ENCRYPTION_KEYS: string;

  /** Largest accepted delivery body in bytes, before and after gzip decompression (413 beyond). */
  @Type(() => Number)
  @IsInt({ message: 'must be an integer number of bytes' })
  @Min(1024, { message: 'must be at least 1024 bytes' })
  @Max(1024 ** 4, { message: 'must be at most 1 TiB' })
  INGESTION_MAX_BODY_BYTES: number = 2 * 1024 ** 3;

  /** Drop folder (off when unset): `<source>__<anything>.csv|.ndjson|.json[.gz]` files are delivered. */
  @IsOptional()
  @IsString()
  DROP_FOLDER?: string;

  /** How often the drop folder is looked at. */
  @Type(() => Number)
  @IsInt({ message: 'must be an integer number of milliseconds' })
  @Min(100, { message: 'must be at least 100 ms' })
  DROP_FOLDER_POLL_MS: number = 2000;

  /** A file is picked up only when it has not changed for this long (it is still being written otherwise). */
  @Type(() => Number)
  @IsInt({ message: 'must be an integer number of milliseconds' })
  @Min(0, { message: 'must be at least 0 ms' })
  DROP_FOLDER_SETTLE_MS: number = 2000;

  /** The raw topic it publishes to (and binds into every sealed record): the contract's unless a test isolates itself. */
  @TopicName()
  RAW_TOPIC: string = TOPICS.raw;

  /** The control topic of its snapshot-completed notices. */
  @TopicName()
  CONTROL_TOPIC: string = TOPICS.control;
}
