import { isMunicipalityAgs } from '@sozialmonitor/regions';
import { isIndicatorId } from '../indicator-ids';
import type { LakeFieldValue } from '../lake-record';
import { isNationalityCode } from './country-codes';
import { DELETED_FIELD, type FieldDeclaration, type RecordRule, type SourceDeclaration } from './source-declaration';

/**
 * Validation of one delivered record against its source declaration (spec/sources.md, "Common rules"
 * and the notes per source).
 *
 * Why not class-validator: the rules are data (the declaration), not decorated classes, and a
 * delivery may hold millions of records. Each declaration is compiled once into a list of plain check
 * functions (cached per declaration); a valid record then costs one output object and no other
 * allocation — no DTO instance, no metadata lookups, no error objects unless something is wrong.
 *
 * Privacy: an error names index, line, recordId (only when it is itself a valid id), field and rule.
 * Messages are fixed texts per rule and field; a delivered value never appears in them.
 */
export type DeliveryFormat = 'json' | 'csv';

export interface RecordPosition {
  /** The record's position in the delivery, from 0. */
  index: number;
  /** The CSV/NDJSON line (1-based, header included), where the format has lines. */
  line?: number;
}

export type ValidationRule =
  | 'required'
  | 'unknown_field'
  | 'type'
  | 'record_id'
  | 'length'
  | 'date'
  | 'date_range'
  | 'enum'
  | 'boolean'
  | 'integer'
  | 'number'
  | 'range'
  | 'ags'
  | 'nationality'
  | 'postal_code'
  | 'indicator'
  | 'date_order'
  | 'birth_date_order'
  | 'birth_date_equals'
  | 'required_with'
  | 'null_without';

export interface RecordError {
  index: number;
  line?: number;
  recordId?: string;
  field: string;
  rule: ValidationRule;
  message: string;
}

/**
 * A validated record: `recordId`, then every declared field in declaration order (absent → null).
 * A retraction is `{ recordId, deleted: true }`. `deleted: false` is dropped, so sending the same
 * content with or without it gives the same record.
 */
export interface SourceRecord {
  recordId: string;
  deleted?: true;
  [field: string]: LakeFieldValue | undefined;
}

export type ValidationResult = { ok: true; record: SourceRecord } | { ok: false; errors: RecordError[] };

export const RECORD_ID_PATTERN = /^[A-Za-z0-9._:-]{1,64}$/;
export const MIN_DATE = '1900-01-01';
export const MAX_DATE = '2100-12-31';

class Failure {
  constructor(
    readonly rule: ValidationRule,
    readonly message: string,
  ) {}
}

/** Checks a non-null value; returns the normalized value or a Failure. */
type Check = (value: unknown, csv: boolean) => unknown;

interface CompiledField {
  readonly name: string;
  readonly required: boolean;
  readonly check: Check;
}

interface CompiledSource {
  readonly declaration: SourceDeclaration;
  readonly fields: readonly CompiledField[];
  readonly known: ReadonlySet<string>;
  readonly rules: readonly RecordRule[];
}

const MUST_BE_STRING = new Failure('type', 'must be a string');
const DATE_FORMAT = new Failure('date', 'must be a date YYYY-MM-DD');
const DATE_RANGE = new Failure('date_range', `must lie between ${MIN_DATE} and ${MAX_DATE}`);

function codePointLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xd800 || c > 0xdbff || i + 1 === s.length) n++;
    else {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
      n++;
    }
  }
  return n;
}

function digits(s: string, from: number, to: number): number {
  let v = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Null when `s` is a real calendar date YYYY-MM-DD within range, else the failure. */
function dateFailure(s: string): Failure | null {
  if (s.length !== 10 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return DATE_FORMAT;
  const y = digits(s, 0, 4);
  const m = digits(s, 5, 7);
  const d = digits(s, 8, 10);
  if (y < 0 || m < 1 || m > 12 || d < 1) return DATE_FORMAT;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const max = m === 2 && leap ? 29 : DAYS_IN_MONTH[m - 1];
  if (d > max) return DATE_FORMAT;
  if (s < MIN_DATE || s > MAX_DATE) return DATE_RANGE;
  return null;
}

const INTEGER_TEXT = /^[+-]?\d+$/;
const NUMBER_TEXT = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const POSTAL_CODE = /^\d{5}$/;

function stringCheck(test: (s: string) => boolean, failure: Failure): Check {
  return (v) => (typeof v !== 'string' ? MUST_BE_STRING : test(v) ? v : failure);
}

function rangeFailure(min: number | undefined, max: number | undefined): Failure {
  if (min !== undefined && max !== undefined) return new Failure('range', `must be between ${min} and ${max}`);
  if (min !== undefined) return new Failure('range', `must be at least ${min}`);
  return new Failure('range', `must be at most ${max}`);
}

function numericCheck(integer: boolean, min: number | undefined, max: number | undefined): Check {
  const notNumber = integer ? new Failure('integer', 'must be an integer') : new Failure('number', 'must be a number');
  const outOfRange = rangeFailure(min, max);
  return (v, csv) => {
    let n: number;
    if (typeof v === 'number') n = v;
    else if (csv && typeof v === 'string' && (integer ? INTEGER_TEXT : NUMBER_TEXT).test(v)) n = Number(v);
    else return notNumber;
    if (!Number.isFinite(n) || (integer && !Number.isInteger(n))) return notNumber;
    if ((min !== undefined && n < min) || (max !== undefined && n > max)) return outOfRange;
    return n;
  };
}

const BOOLEAN_JSON = new Failure('boolean', 'must be true or false');
const BOOLEAN_CSV = new Failure('boolean', 'must be true, false, 1 or 0');
function booleanOf(v: unknown, csv: boolean): boolean | Failure {
  if (typeof v === 'boolean') return v;
  if (csv && typeof v === 'string') {
    if (v === 'true' || v === '1') return true;
    if (v === 'false' || v === '0') return false;
  }
  return csv ? BOOLEAN_CSV : BOOLEAN_JSON;
}

function compileCheck(field: FieldDeclaration): Check {
  const t = field.type;
  switch (t.kind) {
    case 'recordId':
      return stringCheck(
        (s) => RECORD_ID_PATTERN.test(s),
        new Failure('record_id', 'must be 1–64 characters of A-Z a-z 0-9 . _ : -'),
      );
    case 'string': {
      const failure = new Failure('length', `must have ${t.minLength}–${t.maxLength} characters`);
      return stringCheck((s) => {
        if (s.length >= t.minLength && s.length <= t.maxLength) return true; // code points <= UTF-16 units
        const n = codePointLength(s);
        return n >= t.minLength && n <= t.maxLength;
      }, failure);
    }
    case 'date':
      return (v) => (typeof v !== 'string' ? MUST_BE_STRING : (dateFailure(v) ?? v));
    case 'enum': {
      const values = new Set(t.values);
      return stringCheck((s) => values.has(s), new Failure('enum', `must be one of ${t.values.join(', ')}`));
    }
    case 'boolean':
      return booleanOf;
    case 'integer':
      return numericCheck(true, t.min, t.max);
    case 'number':
      return numericCheck(false, t.min, t.max);
    case 'ags':
      return stringCheck(
        isMunicipalityAgs,
        new Failure('ags', 'must be the key (AGS) of a municipality of the county'),
      );
    case 'nationality':
      return stringCheck(
        isNationalityCode,
        new Failure('nationality', 'must be an ISO 3166-1 alpha-2 code in upper case or XX'),
      );
    case 'postalCode':
      return stringCheck((s) => POSTAL_CODE.test(s), new Failure('postal_code', 'must be 5 digits'));
    case 'indicatorId':
      return stringCheck(isIndicatorId, new Failure('indicator', 'must be an indicator id of the catalogue'));
  }
}

const compiled = new WeakMap<SourceDeclaration, CompiledSource>();

function compile(declaration: SourceDeclaration): CompiledSource {
  let c = compiled.get(declaration);
  if (!c) {
    c = {
      declaration,
      fields: declaration.fields.map((f) => ({ name: f.name, required: f.required, check: compileCheck(f) })),
      known: new Set(declaration.fields.map((f) => f.name)),
      rules: declaration.rules,
    };
    compiled.set(declaration, c);
  }
  return c;
}

const SAFE_FIELD_NAME = /^[A-Za-z0-9_.:-]{1,64}$/;
/** The name of an unknown field as reported: itself when it looks like a field name, else a placeholder. */
export function reportedFieldName(name: string): string {
  return SAFE_FIELD_NAME.test(name) ? name : '(unnamed field)';
}

export function validateRecord(
  declaration: SourceDeclaration,
  raw: Record<string, unknown>,
  position: RecordPosition,
  format: DeliveryFormat = 'json',
): ValidationResult {
  const source = compile(declaration);
  const csv = format === 'csv';
  let errors: RecordError[] | undefined;
  const rawId = raw.recordId;
  const recordId = typeof rawId === 'string' && RECORD_ID_PATTERN.test(rawId) ? rawId : undefined;

  const fail = (field: string, rule: ValidationRule, message: string): void => {
    const e: RecordError = { index: position.index, field, rule, message };
    if (position.line !== undefined) e.line = position.line;
    if (recordId !== undefined) e.recordId = recordId;
    (errors ??= []).push(e);
  };

  for (const key in raw) {
    if (key !== DELETED_FIELD && !source.known.has(key) && Object.prototype.hasOwnProperty.call(raw, key)) {
      fail(reportedFieldName(key), 'unknown_field', `is not a field of source ${declaration.name}`);
    }
  }

  let deleted = false;
  let deletedUnreadable = false;
  const rawDeleted = raw[DELETED_FIELD];
  if (rawDeleted !== undefined && rawDeleted !== null && !(csv && rawDeleted === '')) {
    const d = booleanOf(rawDeleted, csv);
    if (d instanceof Failure) {
      fail(DELETED_FIELD, d.rule, d.message);
      deletedUnreadable = true;
    } else deleted = d;
  }

  const out: SourceRecord = { recordId: '' };
  // A retraction needs only its recordId; other declared fields are ignored (not checked, not kept).
  // With an unreadable `deleted` nobody knows which it was meant to be: only recordId is checked too.
  const fields = deleted || deletedUnreadable ? source.fields.slice(0, 1) : source.fields;
  for (const field of fields) {
    let v = raw[field.name];
    if (v === undefined || (csv && v === '')) v = null;
    if (v === null) {
      if (field.required) fail(field.name, 'required', 'is required');
      out[field.name] = null;
      continue;
    }
    const checked = field.check(v, csv);
    if (checked instanceof Failure) {
      fail(field.name, checked.rule, checked.message);
      out[field.name] = null;
    } else {
      out[field.name] = checked as LakeFieldValue;
    }
  }

  if (deleted) {
    return errors ? { ok: false, errors } : { ok: true, record: { recordId: out.recordId, deleted: true } };
  }

  const failed = (name: string) => errors !== undefined && errors.some((e) => e.field === name);
  for (const rule of source.rules) {
    switch (rule.rule) {
      case 'date_order': {
        const a = out[rule.earlier];
        const b = out[rule.later];
        if (
          typeof a === 'string' &&
          typeof b === 'string' &&
          !failed(rule.earlier) &&
          !failed(rule.later) &&
          !(b > a)
        ) {
          fail(rule.later, 'date_order', `must be later than ${rule.earlier}`);
        }
        break;
      }
      case 'birth_date_order': {
        const birth = out[rule.birth];
        const ref = out[rule.reference];
        if (typeof birth !== 'string' || typeof ref !== 'string' || failed(rule.birth) || failed(rule.reference)) break;
        if (rule.equalWhen && out[rule.equalWhen.field] === rule.equalWhen.value) {
          if (birth !== ref) {
            fail(
              rule.birth,
              'birth_date_equals',
              `must equal ${rule.reference} when ${rule.equalWhen.field} is ${rule.equalWhen.value}`,
            );
          }
        } else if (birth > ref) {
          fail(rule.birth, 'birth_date_order', `must not lie after ${rule.reference}`);
        }
        break;
      }
      case 'null_together': {
        if (failed(rule.with) || failed(rule.field)) break;
        const v = out[rule.field];
        const w = out[rule.with];
        if (w === null && v !== null) fail(rule.field, 'null_without', `must be null when ${rule.with} is null`);
        else if (w !== null && v === null) fail(rule.field, 'required_with', `is required when ${rule.with} is set`);
        break;
      }
    }
  }

  return errors ? { ok: false, errors } : { ok: true, record: out };
}
