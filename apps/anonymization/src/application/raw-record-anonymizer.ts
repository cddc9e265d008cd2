import {
  AnonymizationError,
  EVENT_TYPES,
  TOPICS,
  anonymize,
  ceSource,
  lakeKey,
  sourceDeclaration,
  validateRecord,
  type LakeMessage,
  type PseudonymSource,
} from '@sozialmonitor/contracts';
import { deterministicId, type ConsumedEvent, type OutgoingEvent } from '@sozialmonitor/messaging';
import { KEY_ID_HEADER, SealingError, sealingAad, type RecordKeyHasher, type RecordSealer } from '@sozialmonitor/privacy';

/** A raw message that cannot be anonymized; the message names the reason, never a value. */
export class RawRecordRejectedError extends Error {
  override readonly name = 'RawRecordRejectedError';
}

export type AnonymizationOutcome =
  | { kind: 'lake'; source: string; deleted: boolean; event: OutgoingEvent }
  | { kind: 'dead-letter'; source?: string; error: Error };

/**
 * raw → lake for one message (privacy.md §2, events.md): opens the sealed record (key id header,
 * topic and key as AAD), checks it against its source declaration again (the raw topic is only as
 * good as its writers), anonymizes it, and builds the lake event keyed `<source>:<record pseudonym>`
 * (privacy.md §2): the raw key is a keyed hash of the recordId, the lake key its pseudonym, so a
 * correction or deletion of a record reaches the same lake key as the record.
 *
 * Deterministic: the value is the anonymized record's JSON in a fixed field order, ce_id a hash of key
 * and value, ce_time the raw event's time (ingestion keeps the first delivery time of a content
 * version), so the same input always gives the same lake message, header for header.
 */
export class RawRecordAnonymizer {
  constructor(
    private readonly sealer: RecordSealer,
    private readonly pseudonymizer: PseudonymSource,
    /** The raw keys' record-id hash (as ingestion's): a message's key must be its record's. */
    private readonly recordKeys: RecordKeyHasher,
    /** The lake topic (LAKE_TOPIC) the events are for. */
    private readonly lakeTopic: string = TOPICS.lake,
  ) {}

  anonymize(event: ConsumedEvent): AnonymizationOutcome {
    let source: string | undefined;
    try {
      const key = event.key ?? '';
      const colon = key.indexOf(':');
      if (colon <= 0) throw new RawRecordRejectedError('the message key is not <source>:<record hash>');
      source = key.slice(0, colon);
      const declaration = sourceDeclaration(source);
      if (!declaration) {
        source = undefined;
        throw new RawRecordRejectedError('the message key names no known source');
      }
      const keyId = event.headers[KEY_ID_HEADER];
      if (!keyId) throw new RawRecordRejectedError(`the header ${KEY_ID_HEADER} is missing`);
      if (!event.value) throw new RawRecordRejectedError('the message has no value');
      const plaintext = this.sealer.open(event.value, keyId, sealingAad(event.topic, key));
      let raw: unknown;
      try {
        raw = JSON.parse(plaintext.toString('utf8'));
      } catch {
        throw new RawRecordRejectedError('the opened record is not JSON'); // never JSON.parse's message: it quotes the text
      }
      if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
        throw new RawRecordRejectedError('the opened record is not a JSON object');
      const checked = validateRecord(declaration, raw as Record<string, unknown>, { index: 0 });
      if (!checked.ok) {
        const broken = checked.errors.map((e) => `${e.field} (${e.rule})`).join(', ');
        throw new RawRecordRejectedError(`the record breaks rules of source ${source}: ${broken}`);
      }
      if (this.recordKeys.rawKey(source, checked.record.recordId) !== key)
        throw new RawRecordRejectedError('the message key does not match the recordId');
      const lake: LakeMessage = anonymize(declaration, checked.record, this.pseudonymizer);
      const value = Buffer.from(JSON.stringify(lake), 'utf8');
      const lakeMessageKey = lakeKey(source, lake.recordId);
      return {
        kind: 'lake',
        source,
        deleted: lake.deleted === true,
        event: {
          topic: this.lakeTopic,
          key: lakeMessageKey,
          id: deterministicId('lake', lakeMessageKey, value),
          type: EVENT_TYPES.lakeRecord,
          source: ceSource('anonymization'),
          subject: source,
          time: event.time || undefined,
          data: value,
          contentType: 'application/json',
        },
      };
    } catch (e) {
      if (e instanceof RawRecordRejectedError || e instanceof SealingError || e instanceof AnonymizationError) {
        return { kind: 'dead-letter', source, error: e };
      }
      throw e;
    }
  }
}
