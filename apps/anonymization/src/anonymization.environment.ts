import { IntersectionType } from '@nestjs/mapped-types';
import { KafkaEnvironment, Port } from '@sozialmonitor/config';
import { IsString } from 'class-validator';

/** The anonymization service's configuration (operations.md); validated at start. */
export class AnonymizationEnvironment extends IntersectionType(KafkaEnvironment) {
  @Port()
  ANONYMIZATION_PORT: number = 3002;

  /** Keys that may open raw records: `keyId:base64key[,older…]` (privacy.md §1). */
  @IsString({ message: 'is required: comma-separated keyId:base64key list (at least 32 bytes each)' })
  RAW_ENCRYPTION_KEYS: string;

  /** HMAC keys for pseudonyms: `keyId:base64key[,older…]`, different from the encryption keys (privacy.md §2). */
  @IsString({ message: 'is required: comma-separated keyId:base64key list (at least 32 bytes each)' })
  PSEUDONYM_KEYS: string;
}
