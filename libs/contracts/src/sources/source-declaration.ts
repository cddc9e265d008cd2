import type { PseudonymDomain } from '@sozialmonitor/privacy';

/**
 * A source is data, not code: its declaration lists every field with its type and its privacy kind,
 * plus the rules that relate fields of one record. Validation (`validateRecord`), the published
 * JSON Schema (`jsonSchemaOf`) and anonymization (`anonymize`) all interpret the declaration, so a
 * new source is a new declaration plus its tests.
 */
export type FieldType =
  /** The record's technical id: 1–64 characters of `[A-Za-z0-9._:-]`. */
  | { kind: 'recordId' }
  /** Text; lengths count Unicode code points (as JSON Schema does). */
  | { kind: 'string'; minLength: number; maxLength: number }
  /** `YYYY-MM-DD`, a real calendar date between 1900-01-01 and 2100-12-31. */
  | { kind: 'date' }
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'boolean' }
  | { kind: 'integer'; min: number; max: number }
  /** A finite number; bounds inclusive where given. */
  | { kind: 'number'; min?: number; max?: number }
  /** A municipality key (AGS) of the county (libs/regions). */
  | { kind: 'ags' }
  /** ISO 3166-1 alpha-2 in upper case, or `XX` (see country-codes.ts). */
  | { kind: 'nationality' }
  /** A German postal code: 5 digits. */
  | { kind: 'postalCode' }
  /** An id of the indicator catalogue (INDICATOR_IDS). */
  | { kind: 'indicatorId' };

export type FieldKind = FieldType['kind'];

/**
 * The name of a rule of the fixed generalization registry (libs/privacy `GENERALIZATION_RULES`):
 * `birthMonth` (a date → YYYY-MM), `nationalityGroup` (an ISO code → german/foreign). The lake field is
 * named after the rule.
 */
export type Generalization = string;

/** How a field is treated at the anonymization interface (privacy.md §2). */
export type PrivacyKind =
  /** Replaced by a keyed pseudonym of the given domain. */
  | { kind: 'identifier'; domain: PseudonymDomain }
  /** A direct identifier (name, address): dropped. */
  | { kind: 'direct' }
  /** A quasi-identifier: replaced by its generalization, a field named after the generalization. */
  | { kind: 'quasi'; generalization: Generalization }
  /** Kept as it is. */
  | { kind: 'attribute' };

export interface FieldDeclaration {
  readonly name: string;
  readonly type: FieldType;
  /**
   * `true`: a record (unless deleted) must carry a non-null value. `false`: the field may be absent
   * or null (an empty CSV cell); absent and null mean the same and normalize to null.
   */
  readonly required: boolean;
  readonly privacy: PrivacyKind;
  readonly description: string;
}

/** Rules over several fields of one record. Each is checked only when its fields are valid on their own. */
export type RecordRule =
  /** `later` must be after `earlier` when both are set (validTo is exclusive, so equal is an error). */
  | { readonly rule: 'date_order'; readonly earlier: string; readonly later: string }
  /**
   * `birth` must not lie after `reference`; when `equalWhen` matches, it must equal it
   * (population: a spell starting with a birth starts on the birth date).
   */
  | {
      readonly rule: 'birth_date_order';
      readonly birth: string;
      readonly reference: string;
      readonly equalWhen?: { readonly field: string; readonly value: string };
    }
  /** `field` is null exactly when `with` is null (population: endReason and validTo). */
  | { readonly rule: 'null_together'; readonly field: string; readonly with: string };

/**
 * A counting family a source feeds (libs/indicators turns it into an engine family): `distinct`
 * subjects valid at the Stichtag, or spell `starts`/`ends` with the given reasons in the event window.
 * `subject` is an identifier field or `recordId` (every spell counts: cases); `filters` name declared
 * fields a formula may filter by (a quasi-identifier by its generalization, birthDate through ages).
 */
export interface FamilyDeclaration {
  readonly name: string;
  readonly count: 'distinct' | 'starts' | 'ends';
  readonly subject: string;
  readonly filters: readonly string[];
  readonly reasonField?: string;
  readonly reasons?: readonly string[];
  readonly countyExcludesInternalMoves?: boolean;
}

/** A measure symbol of the catalogue's formulas: the count of a family, or the sum of a numeric field over its `units`. */
export interface SymbolDeclaration {
  readonly symbol: string;
  readonly family: string;
  readonly aggregate: 'count' | 'sum';
  readonly field?: string;
  readonly units?: string;
  readonly description: string;
}

export interface SourceMeasures {
  readonly families: readonly FamilyDeclaration[];
  readonly symbols: readonly SymbolDeclaration[];
}

export interface SourceDeclaration {
  /** The source name used in URLs, message keys and lake records. */
  readonly name: string;
  /** 1 for the first registration; every registered change adds one. */
  readonly version: number;
  /** `spells`: records of subjects valid from validFrom to validTo in a municipality (ags); `aggregate`: published figures. */
  readonly kind: 'spells' | 'aggregate';
  readonly title: string;
  readonly description: string;
  /** In output order; the first is always `recordId`. */
  readonly fields: readonly FieldDeclaration[];
  readonly rules: readonly RecordRule[];
  /** The measures it feeds (none for aggregates). */
  readonly measures: SourceMeasures;
}

/** Every record may carry `deleted` (true retracts it); it is not part of any field list. */
export const DELETED_FIELD = 'deleted';
