import { IntersectionType } from '@nestjs/mapped-types';
import { ApiTokensEnvironment, KafkaEnvironment, MongoEnvironment, Port, TopicName } from '@sozialmonitor/config';
import { TOPICS } from '@sozialmonitor/contracts';
import { Type } from 'class-transformer';
import { KEY_ID_PATTERN } from '@sozialmonitor/privacy';
import { IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';

/** The service's name in logs, metrics and CloudEvent sources. */
export const SERVICE = 'ingestion';

/** The ingestion service's configuration (operations.md, .env.example); validated at start. */
export class IngestionEnvironment extends IntersectionType(KafkaEnvironment, MongoEnvironment, ApiTokensEnvironment) {
  @Port()
  INGESTION_PORT: number = 3001;

  /** AES-256-GCM keys for raw records: `keyId:base64key[,older…]`, the first is current (privacy.md §1). */
  @IsString({ message: 'is required: comma-separated keyId:base64key list (at least 32 bytes each)' })
  RAW_ENCRYPTION_KEYS: string;

  /**
   * Id of the RAW_ENCRYPTION_KEYS entry the record-id hash key is derived from (raw topic keys and the
   * record-version store, privacy.md §1); default the current key. Keep it when rotating the sealing key.
   */
  @IsOptional()
  @Matches(KEY_ID_PATTERN, { message: 'must be a key id of RAW_ENCRYPTION_KEYS' })
  RAW_RECORD_KEY_ID?: string;

  /** Largest accepted delivery body in bytes, before and after gzip decompression (413 beyond). */
  @Type(() => Number)
  @IsInt({ message: 'must be an integer number of bytes' })
  @Min(1024, { message: 'must be at least 1024 bytes' })
  @Max(1024 ** 4, { message: 'must be at most 1 TiB' })
  INGESTION_MAX_BODY_BYTES: number = 2 * 1024 ** 3;

  /** Largest delivery after gzip decompression (413 beyond), checked apart from the received size. */
  @Type(() => Number)
  @IsInt({ message: 'must be an integer number of bytes' })
  @Min(1024, { message: 'must be at least 1024 bytes' })
  @Max(1024 ** 4, { message: 'must be at most 1 TiB' })
  INGESTION_MAX_DECOMPRESSED_BYTES: number = 2 * 1024 ** 3;

  /** Largest ratio of decompressed to compressed bytes of a gzip delivery (a decompression bomb: 413). */
  @Type(() => Number)
  @IsInt({ message: 'must be an integer' })
  @Min(2, { message: 'must be at least 2' })
  @Max(100_000, { message: 'must be at most 100000' })
  INGESTION_MAX_GZIP_RATIO: number = 100;

  /**
   * A delivery streams for as long as its records take (1 GiB of CSV ≈ 48 min on the development
   * machine), so ingestion's whole-request limit is 4 h rather than the 10 min of the other services; a
   * dripped body is still cut by HTTP_CONNECTION_TIMEOUT_MS, and an unauthenticated one is refused
   * before it is read.
   */
  @Type(() => Number)
  @IsInt({ message: 'must be an integer number of milliseconds' })
  @Min(1000, { message: 'must be at least 1000 ms' })
  override HTTP_REQUEST_TIMEOUT_MS: number = 4 * 3600 * 1000;

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
