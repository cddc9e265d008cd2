import type { IHeaders, KafkaMessage, Message } from 'kafkajs';
import type { ConsumedEvent, OutgoingEvent } from './cloud-event';

const CE = 'ce_';

/** Encodes an event as a Kafka message in the CloudEvents Kafka protocol binding, binary content mode. */
export function encodeCloudEvent(event: OutgoingEvent): Message {
  const isBuffer = Buffer.isBuffer(event.data);
  const headers: Record<string, string> = {
    ...(event.headers ?? {}),
    ce_specversion: '1.0',
    ce_id: event.id,
    ce_source: event.source,
    ce_type: event.type,
    ce_time: event.time ?? new Date().toISOString(),
    'content-type': event.contentType ?? (isBuffer ? 'application/octet-stream' : 'application/json'),
  };
  if (event.subject) headers.ce_subject = event.subject;
  return {
    key: event.key,
    value: isBuffer ? (event.data as Buffer) : Buffer.from(JSON.stringify(event.data)),
    headers,
  };
}

export function headersToStrings(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers ?? {})) {
    if (v === undefined) continue;
    const one = Array.isArray(v) ? v[v.length - 1] : v;
    out[k] = Buffer.isBuffer(one) ? one.toString('utf8') : String(one);
  }
  return out;
}

/** Decodes a consumed Kafka message; messages without CloudEvents headers keep empty attributes. */
export function decodeCloudEvent(topic: string, partition: number, message: KafkaMessage): ConsumedEvent {
  const headers = headersToStrings(message.headers);
  return {
    topic,
    partition,
    offset: message.offset,
    key: message.key ? message.key.toString('utf8') : null,
    id: headers[`${CE}id`] ?? '',
    type: headers[`${CE}type`] ?? '',
    source: headers[`${CE}source`] ?? '',
    specversion: headers[`${CE}specversion`] ?? '',
    time: headers[`${CE}time`],
    subject: headers[`${CE}subject`],
    contentType: headers['content-type'],
    headers,
    value: message.value,
  };
}
