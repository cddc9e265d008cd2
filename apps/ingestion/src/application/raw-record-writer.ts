import { EVENT_TYPES, TOPICS, ceSource, type SourceRecord } from '@sozialmonitor/contracts';
import type { OutgoingEvent } from '@sozialmonitor/messaging';
import { KEY_ID_HEADER, sealingAad, type RecordKeyHasher, type RecordSealer } from '@sozialmonitor/privacy';
import { SERVICE } from '../ingestion.environment';
import type { EventSink } from './ports/event-sink';
import type { RecordVersionStore } from './ports/record-version.store';

export const DELIVERY_ID_HEADER = 'sm_delivery_id';

/**
 * Seals validated records and publishes them to the raw topic (privacy.md §1, events.md): key
 * `<source>:<keyed hash of the recordId>` (RecordKeyHasher: no record id in plaintext on disk), value the normalized record's JSON sealed with AES-256-GCM and the topic and
 * key as AAD, the key id in `sm_key_id`, ce_id a keyed content id. Re-sent identical content keeps its
 * first ce_time, so everything downstream of the raw topic sees the identical event again. Resolves
 * after the versions are stored and Kafka acknowledged every record.
 */
export class RawRecordWriter {
  private readonly now: () => Date;
  /** The raw topic (RAW_TOPIC): the events' topic and part of every record's AAD. */
  private readonly topic: string;

  constructor(
    private readonly sealer: RecordSealer,
    private readonly sink: EventSink,
    private readonly versions: Pick<RecordVersionStore, 'register' | 'markInSnapshot'>,
    private readonly recordKeys: RecordKeyHasher,
    { now = () => new Date(), topic = TOPICS.raw }: { now?: () => Date; topic?: string } = {},
  ) {
    this.now = now;
    this.topic = topic;
  }

  /**
   * `snapshotId`: the records belong to that snapshot (a snapshot delivery, or any delivery while the
   * source has an open snapshot — such records are newer than the extract and must survive it).
   */
  async write(source: string, records: readonly SourceRecord[], context: WriteContext = {}): Promise<void> {
    await this.publish(await this.prepare(source, records, context));
  }

  /** Kafka acknowledged every event (in order; EventPublisher keeps each request under the broker's limit). */
  async publish(events: OutgoingEvent[]): Promise<void> {
    await this.sink.publish(events);
  }

  /** Stage one of `write`: registers the versions (MongoDB) and seals the events, ready to publish. */
  async prepare(
    source: string,
    records: readonly SourceRecord[],
    context: WriteContext = {},
  ): Promise<OutgoingEvent[]> {
    if (records.length === 0) return [];
    const now = this.now();
    const prepared = records.map((record) => {
      const key = this.recordKeys.rawKey(source, record.recordId);
      const aad = sealingAad(this.topic, key);
      const plaintext = Buffer.from(JSON.stringify(record), 'utf8');
      return { record, key, aad, plaintext, contentId: this.sealer.contentId(plaintext, aad) };
    });
    // Registered before publishing: a version whose publication then fails is simply published again by
    // the re-sent delivery (with the same first time); the store never misses a published version.
    const since = await this.versions.register(
      source,
      prepared.map((p) => ({
        recordId: p.record.recordId,
        contentId: p.contentId,
        deleted: p.record.deleted === true,
      })),
      now,
    );
    if (context.snapshotId)
      await this.versions.markInSnapshot(
        source,
        context.snapshotId,
        records.map((r) => r.recordId),
      );
    return prepared.map((p, i): OutgoingEvent => {
      const { keyId, sealed } = this.sealer.seal(p.plaintext, p.aad);
      const headers: Record<string, string> = { [KEY_ID_HEADER]: keyId };
      if (context.deliveryId) headers[DELIVERY_ID_HEADER] = context.deliveryId;
      return {
        topic: this.topic,
        key: p.key,
        id: p.contentId,
        type: EVENT_TYPES.rawRecord,
        source: ceSource(SERVICE),
        subject: source,
        time: since[i].toISOString(),
        data: sealed,
        contentType: 'application/octet-stream',
        headers,
      };
    });
  }
}

export interface WriteContext {
  deliveryId?: string;
  snapshotId?: string;
}
