import {
  generalizationRule,
  GeneralizationError,
  recordPseudonymDomain,
  type PseudonymDomain,
  type RecordPseudonymDomain,
} from '@sozialmonitor/privacy';
import type { LakeDeletion, LakeFieldValue, LakeMessage, LakeRecord } from '../lake-record';
import { DELETED_FIELD, type FieldDeclaration, type SourceDeclaration } from './source-declaration';
import { RECORD_ID_PATTERN } from './validate-record';

/** What `anonymize` needs of a pseudonymizer (libs/privacy `Pseudonymizer` fits). */
export interface PseudonymSource {
  readonly keyId: string;
  pseudonymize(domain: PseudonymDomain | RecordPseudonymDomain, value: string): string;
}

/** A record that cannot be anonymized. Names the field and the reason, never the value. */
export class AnonymizationError extends Error {
  override readonly name = 'AnonymizationError';
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`field ${field}: ${reason}`);
  }
}

function isScalar(v: unknown): v is LakeFieldValue {
  return v === null || typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));
}

/**
 * The lake form of a validated source record (privacy.md §2): the recordId becomes a pseudonym of the
 * domain `record:<source>` (deletions included, so they reach the same lake key), identifiers become pseudonyms (with
 * `pseudonymKeyId`, which every lake record carries since its recordId is one), direct identifiers are dropped, quasi-identifiers
 * become the output of their named generalization rule (birthDate → birthMonth, nationality → nationalityGroup), everything else declared is kept. Only declared fields
 * pass: anything else throws. Output order is fixed — source, recordId, pseudonymKeyId, then the
 * declaration's order — so equal input gives byte-identical JSON.
 */
export function anonymize(
  declaration: SourceDeclaration,
  record: Record<string, unknown>,
  pseudonymizer: PseudonymSource,
): LakeMessage {
  const byName = fieldsByName(declaration);
  for (const key in record) {
    if (!Object.prototype.hasOwnProperty.call(record, key)) continue;
    if (key !== DELETED_FIELD && !byName.has(key)) {
      throw new AnonymizationError(
        /^[A-Za-z0-9_.:-]{1,64}$/.test(key) ? key : '(unnamed field)',
        'is not in the allow-list of the source',
      );
    }
  }
  const deliveredId = record.recordId;
  if (typeof deliveredId !== 'string' || !RECORD_ID_PATTERN.test(deliveredId)) {
    throw new AnonymizationError('recordId', 'is missing or not a valid record id');
  }
  const recordId = pseudonymizer.pseudonymize(recordPseudonymDomain(declaration.name), deliveredId);
  const deleted = record[DELETED_FIELD];
  if (deleted === true) {
    const deletion: LakeDeletion = { source: declaration.name, recordId, deleted: true };
    return deletion;
  }
  if (deleted !== undefined && deleted !== false && deleted !== null) {
    throw new AnonymizationError(DELETED_FIELD, 'is not a boolean');
  }

  const out: LakeRecord = { source: declaration.name, recordId };
  out.pseudonymKeyId = pseudonymizer.keyId; // every lake record holds a pseudonym: its recordId
  for (const field of declaration.fields) {
    if (field.name === 'recordId') continue;
    const value = record[field.name] ?? null;
    const privacy = field.privacy;
    switch (privacy.kind) {
      case 'direct':
        break;
      case 'identifier':
        if (value !== null && (typeof value !== 'string' || value === ''))
          throw new AnonymizationError(field.name, 'is not a non-empty string');
        out[field.name] = value === null ? null : pseudonymizer.pseudonymize(privacy.domain, value);
        break;
      case 'quasi':
        out[privacy.generalization] = value === null ? null : generalize(field, privacy.generalization, value);
        break;
      case 'attribute':
        if (!isScalar(value)) throw new AnonymizationError(field.name, 'is not a scalar value');
        out[field.name] = value;
        break;
    }
  }
  return out;
}

function generalize(field: FieldDeclaration, generalization: string, value: unknown): string {
  if (typeof value !== 'string') throw new AnonymizationError(field.name, 'is not a string');
  const rule = generalizationRule(generalization);
  // Declarations are checked against the rule registry when parsed; a rule missing here is a bug.
  if (!rule) throw new AnonymizationError(field.name, `names the unknown generalization rule ${generalization}`);
  try {
    return rule.apply(value);
  } catch (e) {
    if (e instanceof GeneralizationError)
      throw new AnonymizationError(field.name, `cannot be generalized to ${generalization}`);
    throw e;
  }
}

const nameCache = new WeakMap<SourceDeclaration, ReadonlyMap<string, FieldDeclaration>>();
function fieldsByName(declaration: SourceDeclaration): ReadonlyMap<string, FieldDeclaration> {
  let m = nameCache.get(declaration);
  if (!m) nameCache.set(declaration, (m = new Map(declaration.fields.map((f) => [f.name, f]))));
  return m;
}


/** The field names a lake record of this source may carry (the allow-list), in output order. */
export function lakeFieldsOf(declaration: SourceDeclaration): string[] {
  const names = ['source', 'recordId'];
  names.push('pseudonymKeyId');
  for (const f of declaration.fields) {
    if (f.name === 'recordId' || f.privacy.kind === 'direct') continue;
    names.push(f.privacy.kind === 'quasi' ? f.privacy.generalization : f.name);
  }
  return names;
}
