/**
 * Key rings from configuration strings (RAW_ENCRYPTION_KEYS, PSEUDONYM_KEYS).
 *
 * Format: a comma-separated list of `keyId:base64key` entries, e.g.
 *   `2025-06:q83v…=,2024-01:Zm9v…=`
 * The FIRST entry is the current key (used to seal / pseudonymize); the others may still open data
 * sealed with them (rotation without loss). Whitespace around entries is ignored. A keyId is
 * 1–32 characters of `[A-Za-z0-9_-]`; a key is standard or URL-safe base64 and decodes to at
 * least 32 bytes. Error messages name the variable and the keyId (or the entry's position when the
 * keyId itself is malformed, since it might then be key material) — never a key.
 */
import { weakSecretReason } from './secret-strength';

export interface KeyEntry {
  readonly id: string;
  readonly key: Buffer;
}

export interface KeyRing {
  /** The key that seals and pseudonymizes now. */
  readonly current: KeyEntry;
  /** Every key by id, the current one included. */
  readonly byId: ReadonlyMap<string, KeyEntry>;
}

export class KeyRingError extends Error {
  override readonly name = 'KeyRingError';
}

export const KEY_ID_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;
export const MIN_KEY_BYTES = 32;
const BASE64 = /^(?:[A-Za-z0-9+/]+={0,2}|[A-Za-z0-9_-]+={0,2})$/;

export interface KeyRingOptions {
  /** Production: refuse the throwaway keys the local scripts generate (their ids start with `demo-`). */
  refuseDemoKeys?: boolean;
  /** Production: refuse keys that do not look random (32 zero bytes, a counting sequence; secret-strength.ts). */
  refuseWeakKeys?: boolean;
}

export const DEMO_KEY_PREFIX = 'demo-';

export function parseKeyRing(text: string | undefined, variableName: string, options: KeyRingOptions = {}): KeyRing {
  if (text === undefined || text.trim() === '') {
    throw new KeyRingError(`${variableName} is empty: expected keyId:base64key[,keyId:base64key…]`);
  }
  const entries: KeyEntry[] = [];
  const byId = new Map<string, KeyEntry>();
  const parts = text.split(',');
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i].trim();
    const position = `entry ${i + 1}`;
    const colon = part.indexOf(':');
    if (colon < 0) throw new KeyRingError(`${variableName}: ${position} is not of the form keyId:base64key`);
    const id = part.slice(0, colon).trim();
    const encoded = part.slice(colon + 1).trim();
    if (!KEY_ID_PATTERN.test(id)) {
      throw new KeyRingError(`${variableName}: ${position} has an invalid keyId (1–32 characters of A-Z a-z 0-9 _ -)`);
    }
    if (byId.has(id)) throw new KeyRingError(`${variableName}: keyId ${id} appears twice`);
    if (options.refuseDemoKeys && id.startsWith(DEMO_KEY_PREFIX)) {
      throw new KeyRingError(`${variableName}: key ${id} is a generated demo key; production needs real keys`);
    }
    if (!BASE64.test(encoded) || encoded.replace(/=+$/, '').length % 4 === 1) {
      throw new KeyRingError(`${variableName}: key ${id} is not base64`);
    }
    const key = Buffer.from(encoded, encoded.includes('-') || encoded.includes('_') ? 'base64url' : 'base64');
    if (key.length < MIN_KEY_BYTES) {
      throw new KeyRingError(
        `${variableName}: key ${id} has ${key.length} bytes, at least ${MIN_KEY_BYTES} are required`,
      );
    }
    const weak = options.refuseWeakKeys ? weakSecretReason(key) : undefined;
    if (weak) throw new KeyRingError(`${variableName}: key ${id} ${weak}; production needs random keys`);
    const entry: KeyEntry = { id, key };
    entries.push(entry);
    byId.set(id, entry);
  }
  return { current: entries[0], byId };
}

/** Formats a ring entry list back to configuration text (for tests and key generation tools). */
export function formatKeyRing(entries: readonly KeyEntry[]): string {
  return entries.map((e) => `${e.id}:${e.key.toString('base64')}`).join(',');
}

/** privacy.md §2: the pseudonym key is never an encryption key. */
export function assertSeparateKeys(raw: KeyRing, pseudonym: KeyRing): void {
  for (const p of pseudonym.byId.values()) {
    for (const r of raw.byId.values()) {
      if (p.key.equals(r.key))
        throw new KeyRingError(
          `PSEUDONYM_KEYS: key ${p.id} is also in RAW_ENCRYPTION_KEYS (as ${r.id}); they must differ`,
        );
    }
  }
}
