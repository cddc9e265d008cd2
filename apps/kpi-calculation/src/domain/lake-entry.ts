import { contentHash48, lakeKey, type LakeMessage } from '@sozialmonitor/contracts';

/** A lake message with where it came from: its Kafka offset orders the versions of its key. */
export interface LakeEntry {
  readonly key: string;
  readonly offset: number;
  readonly hash: number;
  readonly message: LakeMessage;
}

export class MalformedLakeMessageError extends Error {
  override readonly name = 'MalformedLakeMessageError';
}

const RECORD_ID = /^[A-Za-z0-9._:-]{1,64}$/;
const SOURCE = /^[a-z][a-z0-9_]{0,63}$/;

/**
 * Checks the envelope of a lake message (object with source and recordId, deletion marker form) and
 * keys it. Field values are the engine's business; errors name the offset and the rule, never a value.
 */
export function lakeEntryOf(value: unknown, offset: number, where: string): LakeEntry {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new MalformedLakeMessageError(`lake message ${where} is not a JSON object`);
  }
  const m = value as Record<string, unknown>;
  if (typeof m.source !== 'string' || !SOURCE.test(m.source))
    throw new MalformedLakeMessageError(`lake message ${where}: source is missing or malformed`);
  if (typeof m.recordId !== 'string' || !RECORD_ID.test(m.recordId)) {
    throw new MalformedLakeMessageError(`lake message ${where}: recordId is missing or malformed`);
  }
  if (m.deleted !== undefined && typeof m.deleted !== 'boolean')
    throw new MalformedLakeMessageError(`lake message ${where}: deleted is not a boolean`);
  const message: LakeMessage =
    m.deleted === true ? { source: m.source, recordId: m.recordId, deleted: true } : (m as unknown as LakeMessage);
  return { key: lakeKey(message.source, message.recordId), offset, hash: contentHash48(message), message };
}
