import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import type { KeyRing } from './key-ring';

/**
 * Seals raw records for the raw and dead-letter topics (privacy.md §1): AES-256-GCM with a random
 * 96-bit nonce per message. The additional authenticated data is `topic + "\n" + messageKey`
 * (see `sealingAad`), so a sealed value moved to another key or topic no longer opens.
 *
 * Sealed layout: `version (1 byte, 0x01) | nonce (12) | ciphertext | tag (16)`. The key id travels
 * outside (header `sm_key_id`) so a reader can pick the key before touching the payload.
 *
 * The AES key is derived with HKDF-SHA256 (info "sozialmonitor/raw-sealing") from the configured
 * key, so configured keys may be longer than 32 bytes and the same bytes would never serve two
 * purposes by accident.
 */
export const SEALED_FORMAT_VERSION = 0x01;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const HKDF_INFO = 'sozialmonitor/raw-sealing';
const CONTENT_ID_INFO = 'sozialmonitor/raw-content-id';
/** Header carrying the id of the sealing key. */
export const KEY_ID_HEADER = 'sm_key_id';

export class SealingError extends Error {
  override readonly name: string = 'SealingError';
}
/** The key id is not in the ring (e.g. an old key was removed too early). */
export class UnknownKeyIdError extends SealingError {
  override readonly name = 'UnknownKeyIdError';
  constructor(readonly keyId: string) {
    super(`no key with id ${keyId} is configured`);
  }
}
/** Authentication failed: the data, the nonce, the tag or the AAD (topic/key) was changed, or the key is wrong. */
export class TamperedDataError extends SealingError {
  override readonly name = 'TamperedDataError';
  constructor(reason = 'sealed data failed authentication (tampered, moved to another key/topic, or wrong key)') {
    super(reason);
  }
}

export interface SealedValue {
  keyId: string;
  sealed: Buffer;
}

/** AAD binding a sealed value to its topic and message key. */
export function sealingAad(topic: string, messageKey: string): Buffer {
  return Buffer.from(`${topic}\n${messageKey}`, 'utf8');
}

export function deriveSealingKey(configured: Buffer, info = HKDF_INFO): Buffer {
  return Buffer.from(hkdfSync('sha256', configured, Buffer.alloc(0), info, 32));
}

export class RecordSealer {
  private readonly aesKeys = new Map<string, Buffer>();
  private readonly currentKeyId: string;
  private readonly contentIdKey: Buffer;

  constructor(ring: KeyRing) {
    for (const [id, entry] of ring.byId) this.aesKeys.set(id, deriveSealingKey(entry.key));
    this.currentKeyId = ring.current.id;
    this.contentIdKey = deriveSealingKey(ring.current.key, CONTENT_ID_INFO);
  }

  /**
   * A deterministic id for a plaintext in its context (the CloudEvent id of a raw record, and how
   * a re-sent identical record is recognized): base64url of a keyed HMAC-SHA256 over AAD and
   * plaintext, 32 characters. Keyed, unlike a plain hash, so that nobody without the key can test
   * a guessed record against it. Changes when the current key changes.
   */
  contentId(plaintext: Buffer, aad: Buffer | string): string {
    const aadBytes = typeof aad === 'string' ? Buffer.from(aad, 'utf8') : aad;
    const length = Buffer.alloc(4);
    length.writeUInt32BE(aadBytes.length);
    return createHmac('sha256', this.contentIdKey)
      .update(length)
      .update(aadBytes)
      .update(plaintext)
      .digest('base64url')
      .slice(0, 32);
  }

  /** The id that `seal` puts on new values. */
  get keyId(): string {
    return this.currentKeyId;
  }

  seal(plaintext: Buffer, aad: Buffer | string): SealedValue {
    const key = this.aesKeys.get(this.currentKeyId)!;
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
    cipher.setAAD(typeof aad === 'string' ? Buffer.from(aad, 'utf8') : aad);
    const body = cipher.update(plaintext);
    const final = cipher.final();
    const sealed = Buffer.concat([Buffer.of(SEALED_FORMAT_VERSION), nonce, body, final, cipher.getAuthTag()]);
    return { keyId: this.currentKeyId, sealed };
  }

  open(sealed: Buffer, keyId: string, aad: Buffer | string): Buffer {
    const key = this.aesKeys.get(keyId);
    if (!key) throw new UnknownKeyIdError(keyId);
    if (sealed.length < 1 + NONCE_BYTES + TAG_BYTES || sealed[0] !== SEALED_FORMAT_VERSION) {
      throw new TamperedDataError('sealed data is malformed (too short or unknown format version)');
    }
    const nonce = sealed.subarray(1, 1 + NONCE_BYTES);
    const tag = sealed.subarray(sealed.length - TAG_BYTES);
    const body = sealed.subarray(1 + NONCE_BYTES, sealed.length - TAG_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
    decipher.setAAD(typeof aad === 'string' ? Buffer.from(aad, 'utf8') : aad);
    decipher.setAuthTag(tag);
    try {
      return Buffer.concat([decipher.update(body), decipher.final()]);
    } catch {
      throw new TamperedDataError();
    }
  }
}
