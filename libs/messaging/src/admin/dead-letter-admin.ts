import { TOPICS } from '@sozialmonitor/contracts';
import type { Kafka } from 'kafkajs';
import type { ConsumedEvent, OutgoingEvent } from '../cloud-event';
import { DEAD_LETTER_HEADERS } from '../dead-letter';
import type { EventPublisher } from '../event-publisher';
import { readTopic } from './topic-reader';

/** What an admin sees of a dead letter: where it came from and why — never its payload. */
export interface DeadLetterView {
  partition: number;
  offset: string;
  key: string | null;
  originalTopic: string;
  originalPartition: number;
  originalOffset: string;
  originalType?: string;
  originalId?: string;
  service: string;
  error: string;
  failedAt: string;
}

export function viewOf(letter: ConsumedEvent): DeadLetterView {
  const h = letter.headers;
  return {
    partition: letter.partition,
    offset: letter.offset,
    key: letter.key,
    originalTopic: h[DEAD_LETTER_HEADERS.topic],
    originalPartition: Number(h[DEAD_LETTER_HEADERS.partition]),
    originalOffset: h[DEAD_LETTER_HEADERS.offset],
    originalType: h[`${DEAD_LETTER_HEADERS.originalPrefix}ce_type`],
    originalId: h[`${DEAD_LETTER_HEADERS.originalPrefix}ce_id`],
    service: h[DEAD_LETTER_HEADERS.service],
    error: h[DEAD_LETTER_HEADERS.error],
    failedAt: h[DEAD_LETTER_HEADERS.failedAt],
  };
}

/**
 * The original message of a dead letter, as it was: same topic, key, value, CloudEvents attributes
 * (so its ce_id is the original's and idempotent consumers recognize it) and other headers.
 */
export function redriveOf(letter: ConsumedEvent): OutgoingEvent {
  const h = letter.headers;
  const original = (name: string) => h[`${DEAD_LETTER_HEADERS.originalPrefix}${name}`];
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) {
    if (k.startsWith('ce_') || k === 'content-type' || k.startsWith('sm_dlq_') || k.startsWith(DEAD_LETTER_HEADERS.originalPrefix)) continue;
    headers[k] = v;
  }
  return {
    topic: h[DEAD_LETTER_HEADERS.topic],
    key: letter.key ?? '',
    id: original('ce_id') ?? '',
    type: original('ce_type') ?? '',
    source: original('ce_source') ?? '',
    subject: original('ce_subject'),
    time: original('ce_time'),
    contentType: original('content-type'),
    data: letter.value ?? Buffer.alloc(0),
    headers,
  };
}

export class DeadLetterAdmin {
  constructor(
    private readonly kafka: Kafka,
    private readonly publisher: EventPublisher,
  ) {}

  /** The newest dead letters (of one service); only the topic's tail is read. */
  async list(filter: { service?: string; limit?: number } = {}): Promise<DeadLetterView[]> {
    const letters = (await readTopic(this.kafka, TOPICS.deadLetter, { limit: Math.max(1000, (filter.limit ?? 100) * 10) })).map(viewOf);
    const mine = filter.service ? letters.filter((l) => l.service === filter.service) : letters;
    return mine.slice(-(filter.limit ?? 100));
  }

  /** Re-publishes the selected dead letters (by `partition:offset`) to their original topics. */
  async redrive(selection: string[], service?: string): Promise<{ redriven: string[]; unknown: string[] }> {
    const wanted = new Set(selection);
    const letters = (await readTopic(this.kafka, TOPICS.deadLetter, { limit: 10_000 })).filter(
      (l) => wanted.has(`${l.partition}:${l.offset}`) && (!service || l.headers[DEAD_LETTER_HEADERS.service] === service),
    );
    await this.publisher.publish(letters.map(redriveOf));
    const redriven = letters.map((l) => `${l.partition}:${l.offset}`);
    return { redriven, unknown: selection.filter((s) => !redriven.includes(s)) };
  }
}
