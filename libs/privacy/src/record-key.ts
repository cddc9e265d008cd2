import { createHmac } from 'node:crypto';
import { KeyRingError, type KeyRing } from './key-ring';
import { deriveSealingKey } from './record-sealer';

/**
 * Raw-topic keys without the record id in plaintext (privacy.md §1): `<source>:<hash>` with hash =
 * base64url(HMAC-SHA256(k, source + ":" + recordId)) and k = HKDF-SHA256(sealing key, info
 * "sozialmonitor/raw-record-key"). Ingestion's record-version store is keyed with the same hash, so
 * nothing on disk names a delivered record id in the clear. Keyed, unlike a plain hash: without the
 * sealing secret nobody can test a guessed id (`pop-4711`) against a key.
 *
 * The hash must stay stable while records of the raw topic and the version store were keyed with it
 * (a re-keyed record would look new to the store and land on another partition than its older
 * versions). So it is derived from one named key of RAW_ENCRYPTION_KEYS (`RAW_RECORD_KEY_ID`;
 * default the current key): rotating the sealing key keeps that id configured until the store is
 * re-keyed (docs/architecture.md, "Record ids").
 */
const HKDF_INFO = 'sozialmonitor/raw-record-key';

export class RecordKeyHasher {
  /** The id of the ring entry the hash key is derived from. */
  readonly keyId: string;
  private readonly key: Buffer;

  constructor(ring: KeyRing, keyId: string = ring.current.id, variableName = 'RAW_RECORD_KEY_ID') {
    const entry = ring.byId.get(keyId);
    if (!entry) throw new KeyRingError(`${variableName}: no key with id ${keyId} is in RAW_ENCRYPTION_KEYS`);
    this.keyId = keyId;
    this.key = deriveSealingKey(entry.key, HKDF_INFO);
  }

  /** The keyed hash of a record id within its source (43 base64url characters). */
  hash(source: string, recordId: string): string {
    return createHmac('sha256', this.key).update(`${source}:${recordId}`, 'utf8').digest('base64url');
  }

  /** The raw topic's message key of a record: `<source>:<hash>`. */
  rawKey(source: string, recordId: string): string {
    return `${source}:${this.hash(source, recordId)}`;
  }
}
