import { createHmac } from 'node:crypto';
import type { KeyRing } from './key-ring';

/**
 * Pseudonyms (privacy.md §2): `base64url(HMAC-SHA256(key, domain + ":" + value))` with the raw
 * configured key bytes. `person` covers person and child ids (one person links across sources),
 * `household` household ids; the domain prefix keeps a person id and an equal household id apart.
 * Record ids become pseudonyms of the domain `record:<source>` (privacy.md §2): they often carry the
 * person number of the source system, and the lake key is `<source>:<record pseudonym>`.
 * Always the current key: a rotation is a replay of the raw data, and every lake record names
 * `keyId` so consumers can tell which generation a pseudonym belongs to.
 */
export type PseudonymDomain = 'person' | 'household';
export const PSEUDONYM_DOMAINS: readonly PseudonymDomain[] = ['person', 'household'];
/** The domain of a source's record ids. */
export type RecordPseudonymDomain = `record:${string}`;
export const recordPseudonymDomain = (source: string): RecordPseudonymDomain => `record:${source}`;

export class Pseudonymizer {
  readonly keyId: string;
  private readonly key: Buffer;

  constructor(ring: KeyRing) {
    this.keyId = ring.current.id;
    this.key = ring.current.key;
  }

  pseudonymize(domain: PseudonymDomain | RecordPseudonymDomain, value: string): string {
    return createHmac('sha256', this.key).update(`${domain}:${value}`, 'utf8').digest('base64url');
  }
}
