import { EVENT_TYPES, TOPICS, ceSource } from '@sozialmonitor/contracts';
import { deterministicId, type ConsumedEvent, type OutgoingEvent } from './cloud-event';
import { describeError } from './dependency-failure';

/** Headers of a dead-letter message that name where it came from and why it failed (events.md). */
export const DEAD_LETTER_HEADERS = {
  topic: 'sm_dlq_topic',
  partition: 'sm_dlq_partition',
  offset: 'sm_dlq_offset',
  service: 'sm_dlq_service',
  error: 'sm_dlq_error',
  failedAt: 'sm_dlq_failed_at',
  originalPrefix: 'sm_original_',
} as const;

/**
 * The dead-letter form of a message: the original key and value (still encrypted where it was), its
 * non-CloudEvents headers unchanged (e.g. the sealing key id, so a re-drive can still decrypt), its
 * CloudEvents attributes kept under `sm_original_…`, and headers naming topic, partition, offset,
 * the failing service and the error. The ce_id is derived from the message's position, so a retried
 * dead-lettering is recognizable.
 */
export function deadLetterOf(event: ConsumedEvent, service: string, error: unknown, now = new Date()): OutgoingEvent {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(event.headers)) {
    if (k.startsWith('ce_') || k === 'content-type') headers[DEAD_LETTER_HEADERS.originalPrefix + k] = v;
    else headers[k] = v;
  }
  headers[DEAD_LETTER_HEADERS.topic] = event.topic;
  headers[DEAD_LETTER_HEADERS.partition] = String(event.partition);
  headers[DEAD_LETTER_HEADERS.offset] = event.offset;
  headers[DEAD_LETTER_HEADERS.service] = service;
  headers[DEAD_LETTER_HEADERS.error] = describeError(error);
  headers[DEAD_LETTER_HEADERS.failedAt] = now.toISOString();
  return {
    topic: TOPICS.deadLetter,
    key: event.key ?? '',
    id: deterministicId('deadletter', event.topic, String(event.partition), event.offset),
    type: EVENT_TYPES.deadLetter,
    source: ceSource(service),
    subject: `${event.topic}/${event.partition}/${event.offset}`,
    time: now.toISOString(),
    contentType: event.contentType ?? 'application/octet-stream',
    data: event.value ?? Buffer.alloc(0),
    headers,
  };
}
