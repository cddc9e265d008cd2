import type { KpiValuePayload } from '@sozialmonitor/contracts';

/** A value as a round holds it: what was published for a key, and the exact value behind it (internal). */
export interface PublishedValueRecord {
  readonly key: string;
  /** Hash of the published form: a re-send's ce_id is built from it. */
  readonly hash: string;
  /** The published form (events.md), as it went onto the KPI topic. */
  readonly payload: KpiValuePayload;
  /** Unrounded value and counts: empty when the record was taken from the topic (the exact value is not there). */
  readonly exact: { readonly value: number | null; readonly counts: readonly number[] };
}

/** Published values, one entry per publication round (MongoDB in the service). */
export abstract class ValueRoundStore {
  /** Writes a round marked "to publish". */
  abstract insertPending(id: string, values: readonly PublishedValueRecord[], writtenAt?: Date): Promise<void>;
  /** Writes a round that needs no publication (compaction of already published rounds). */
  abstract insertPublished(id: string, values: readonly PublishedValueRecord[], writtenAt?: Date): Promise<void>;
  abstract clearMark(id: string): Promise<void>;
  /** All rounds sorted by id (the order they were written). */
  abstract all(): Promise<Array<{ id: string; pending: boolean; values: PublishedValueRecord[] }>>;
  abstract deleteRounds(ids: readonly string[]): Promise<void>;
}
