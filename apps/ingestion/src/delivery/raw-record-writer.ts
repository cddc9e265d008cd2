import { EVENT_TYPES, TOPICS, ceSource, lakeKey, type SourceRecord } from '@sozialmonitor/contracts';
import type { OutgoingEvent } from '@sozialmonitor/messaging';
import { KEY_ID_HEADER, sealingAad, type RecordSealer } from '@sozialmonitor/privacy';

/** What the ingestion service remembers of a record: which content version it last published, since when. */
export interface RecordVersion {
  recordId: string;
  /** Keyed content id of the last published version (= its ce_id). */
  contentId: string;
  /** When this content was first delivered: the ce_time of every re-send of the same content. */
  since: Date;
  deleted: boolean;
}

/** The record version store (MongoDB in the service, a Map in tests). */
export interface RecordVersionStore {
  /** The known versions of these records of a source (missing ones are unknown). */
  versionsOf(source: string, recordIds: string[]): Promise<Map<string, RecordVersion>>;
  /** Stores the versions just published; `snapshotId` marks them as part of that snapshot. */
  save(source: string, versions: RecordVersion[], touchedAt: Date, snapshotId?: string): Promise<void>;
}

/** Publishes events and resolves once Kafka acknowledged all (EventPublisher). */
export interface EventSink {
  publish(events: OutgoingEvent[]): Promise<void>;
}

export const DELIVERY_ID_HEADER = 'sm_delivery_id';

/**
 * Seals validated records and publishes them to the raw topic (privacy.md §1, events.md): key
 * `<source>:<recordId>`, value the normalized record's JSON sealed with AES-256-GCM and the topic and
 * key as AAD, the key id in `sm_key_id`, ce_id a keyed content id. Re-sent identical content keeps its
 * first ce_time, so everything downstream of the raw topic sees the identical event again. Resolves
 * after Kafka acknowledged every record and the versions are stored.
 */
export class RawRecordWriter {
  constructor(
    private readonly sealer: RecordSealer,
    private readonly sink: EventSink,
    private readonly versions: RecordVersionStore,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async write(source: string, records: readonly SourceRecord[], context: { deliveryId?: string; snapshotId?: string } = {}): Promise<void> {
    if (records.length === 0) return;
    const known = await this.versions.versionsOf(
      source,
      records.map((r) => r.recordId),
    );
    const now = this.now();
    const events: OutgoingEvent[] = [];
    const versions: RecordVersion[] = [];
    for (const record of records) {
      const key = lakeKey(source, record.recordId);
      const aad = sealingAad(TOPICS.raw, key);
      const plaintext = Buffer.from(JSON.stringify(record), 'utf8');
      const contentId = this.sealer.contentId(plaintext, aad);
      const previous = known.get(record.recordId);
      const since = previous && previous.contentId === contentId ? previous.since : now;
      const version: RecordVersion = { recordId: record.recordId, contentId, since, deleted: record.deleted === true };
      known.set(record.recordId, version); // a later duplicate in the same batch compares with this one
      versions.push(version);
      const { keyId, sealed } = this.sealer.seal(plaintext, aad);
      const headers: Record<string, string> = { [KEY_ID_HEADER]: keyId };
      if (context.deliveryId) headers[DELIVERY_ID_HEADER] = context.deliveryId;
      events.push({
        topic: TOPICS.raw,
        key,
        id: contentId,
        type: EVENT_TYPES.rawRecord,
        source: ceSource('ingestion'),
        subject: source,
        time: since.toISOString(),
        data: sealed,
        contentType: 'application/octet-stream',
        headers,
      });
    }
    await this.sink.publish(events);
    await this.versions.save(source, versions, now, context.snapshotId);
  }
}
