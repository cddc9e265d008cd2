import { IntersectionType } from '@nestjs/mapped-types';
import { ApiTokensEnvironment, KafkaEnvironment, Port, TopicName } from '@sozialmonitor/config';
import { TOPICS } from '@sozialmonitor/contracts';
import { KEY_ID_PATTERN } from '@sozialmonitor/privacy';
import { IsOptional, IsString, Matches } from 'class-validator';

/** The service's name in logs, metrics, CloudEvents and dead letters. */
export const SERVICE = 'anonymization';

/** The anonymization service's configuration (operations.md); validated at start. */
export class AnonymizationEnvironment extends IntersectionType(KafkaEnvironment, ApiTokensEnvironment) {
  @Port()
  ANONYMIZATION_PORT: number = 3002;

  /** Keys that may open raw records: `keyId:base64key[,older…]` (privacy.md §1). */
  @IsString({ message: 'is required: comma-separated keyId:base64key list (at least 32 bytes each)' })
  RAW_ENCRYPTION_KEYS: string;

  /** Id of the RAW_ENCRYPTION_KEYS entry raw topic keys are hashed with (as ingestion's; default the current key). */
  @IsOptional()
  @Matches(KEY_ID_PATTERN, { message: 'must be a key id of RAW_ENCRYPTION_KEYS' })
  RAW_RECORD_KEY_ID?: string;

  /** HMAC keys for pseudonyms: `keyId:base64key[,older…]`, different from the encryption keys (privacy.md §2). */
  @IsString({ message: 'is required: comma-separated keyId:base64key list (at least 32 bytes each)' })
  PSEUDONYM_KEYS: string;

  /** Consumer group of the raw topic; every instance of the service shares it. */
  @Matches(/^[A-Za-z0-9._-]{1,100}$/, { message: 'must be 1–100 characters of A-Z a-z 0-9 . _ -' })
  ANONYMIZATION_GROUP_ID: string = 'anonymization';

  /** The raw topic it consumes: the contract's unless a test isolates itself. */
  @TopicName()
  RAW_TOPIC: string = TOPICS.raw;

  /** The lake topic it publishes to. */
  @TopicName()
  LAKE_TOPIC: string = TOPICS.lake;
}
