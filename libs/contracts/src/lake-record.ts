/**
 * A record of the data lake (`sozialmonitor.lake.records.v1`): the anonymized form of a source
 * record (privacy.md §2). Field names follow the source, with these changes:
 * - identifiers (`personId`, `childId`, `householdId`) hold pseudonyms, `pseudonymKeyId` names the key;
 * - `birthDate` is replaced by `birthMonth` (`YYYY-MM`);
 * - `nationality` is replaced by `nationalityGroup` (`german` | `foreign`);
 * - direct identifiers (names, street, house number, postal code, applicant name) are absent.
 */
export type LakeFieldValue = string | number | boolean | null;

export interface LakeRecord {
  source: string;
  recordId: string;
  deleted?: false;
  pseudonymKeyId?: string;
  [field: string]: LakeFieldValue | undefined;
}

/** A retraction: the record with this key no longer exists. */
export interface LakeDeletion {
  source: string;
  recordId: string;
  deleted: true;
}

export type LakeMessage = LakeRecord | LakeDeletion;

/**
 * The key of a record's lake message (events.md): `<source>:<record pseudonym>` — `recordId` is the lake
 * record's (pseudonymous) id. Raw-topic keys are `<source>:<HMAC of the recordId>`, built by
 * `RecordKeyHasher` (libs/privacy), never from the plaintext id.
 */
export const lakeKey = (source: string, recordId: string): string => `${source}:${recordId}`;

export function isLakeDeletion(m: LakeMessage): m is LakeDeletion {
  return m.deleted === true;
}
