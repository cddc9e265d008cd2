import { IntersectionType } from '@nestjs/mapped-types';
import { ApiTokensEnvironment, KafkaEnvironment, MongoEnvironment, Port } from '@sozialmonitor/config';
import { IsString } from 'class-validator';

/** The ingestion service's configuration (operations.md); validated at start. */
export class IngestionEnvironment extends IntersectionType(KafkaEnvironment, MongoEnvironment, ApiTokensEnvironment) {
  @Port()
  INGESTION_PORT: number = 3001;

  /** AES-256-GCM keys for raw records: `keyId:base64key[,older…]`, the first is current (privacy.md §1). */
  @IsString({ message: 'is required: comma-separated keyId:base64key list (at least 32 bytes each)' })
  RAW_ENCRYPTION_KEYS: string;
}
