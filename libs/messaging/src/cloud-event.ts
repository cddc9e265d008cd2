import { createHash } from 'node:crypto';

/** An event to publish: CloudEvents attributes plus Kafka topic and key (events.md, binary content mode). */
export interface OutgoingEvent {
  topic: string;
  /** Kafka message key = the partition key (`<source>:<recordId>`, `<indicatorId>:<region>:<period>`, …). */
  key: string;
  /** ce_id: deterministic for a content, so a re-send is recognizable. */
  id: string;
  type: string;
  /** ce_source, e.g. `/sozialmonitor/ingestion`. */
  source: string;
  /** The message value: an object is sent as JSON, a Buffer as it is. */
  data: Buffer | object;
  /** Defaults to application/json for objects and application/octet-stream for Buffers. */
  contentType?: string;
  subject?: string;
  /** RFC 3339; defaults to now. */
  time?: string;
  /** Extra Kafka headers (not CloudEvents attributes), e.g. `sm_key_id`. */
  headers?: Record<string, string>;
}

/** A consumed message decoded from the CloudEvents Kafka binding. */
export interface ConsumedEvent {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  id: string;
  type: string;
  source: string;
  specversion: string;
  time?: string;
  subject?: string;
  contentType?: string;
  /** Every header as a string (CloudEvents attributes included). */
  headers: Record<string, string>;
  value: Buffer | null;
}

/** Parses the message value as JSON (throws a SyntaxError naming the offset, never the content). */
export function jsonOf<T>(event: Pick<ConsumedEvent, 'value' | 'topic' | 'partition' | 'offset'>): T {
  if (!event.value) throw new Error(`message ${event.topic}/${event.partition}@${event.offset} has no value`);
  try {
    return JSON.parse(event.value.toString('utf8')) as T;
  } catch {
    throw new SyntaxError(`message ${event.topic}/${event.partition}@${event.offset} is not valid JSON`);
  }
}

/** A short, stable id from parts: the same content always gives the same ce_id. */
export function deterministicId(...parts: (string | Buffer)[]): string {
  const h = createHash('sha256');
  for (const p of parts) {
    h.update(p);
    h.update('\u0000');
  }
  return h.digest('base64url').slice(0, 32);
}
