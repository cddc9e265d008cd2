import type { CellValue } from '../expression/compile';
import type { Day } from '../time/day';

/**
 * A lake record of a counted source, reduced to what counting needs: its region, validity interval
 * as day numbers, reasons, the attribute values the families' dimensions use, and the keys of the
 * subjects it belongs to. Strings are interned (AGS, enum values) so a million spells stay small.
 */
export interface Spell {
  /** `<source>:<recordId>`: the lake key; orders spells deterministically. */
  readonly recordKey: string;
  readonly source: string;
  /** Municipality AGS. */
  readonly ags: string;
  readonly from: Day;
  /** Exclusive end; OPEN_END when validTo is null. */
  readonly to: Day;
  readonly startReason: string | null;
  readonly endReason: string | null;
  /** Attribute values by dimension name (birthMonth as a month index). */
  readonly attributes: Readonly<Record<string, CellValue>>;
  /** `<subject kind>:<id>` of every subject the record belongs to (an sgb2 record: person and benefit unit). */
  readonly subjects: readonly string[];
  /** Engine cache: the spell's cell id per family index (filled on first use, −1 = not yet). */
  readonly cellIds: number[];
}

/** Why a lake record cannot be counted: record, field and rule only — never a value (privacy). */
export interface Rejection {
  readonly source: string;
  readonly recordId: string;
  readonly field: string;
  readonly rule: string;
}
