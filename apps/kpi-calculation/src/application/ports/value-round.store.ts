import type { KpiValuePayload } from '@sozialmonitor/contracts';

/** A value as stored: key, hash of the published form, the published form, and the exact value (internal). */
export interface StoredValue {
  readonly k: string;
  readonly h: string;
  readonly p: KpiValuePayload;
  readonly x: { readonly value: number | null; readonly counts: readonly number[] };
}

/** Published values, one entry per publication round (MongoDB in the service). */
export abstract class ValueRoundStore {
  /** Writes a round marked "to publish". */
  abstract insertPending(id: string, values: readonly StoredValue[], writtenAt?: Date): Promise<void>;
  /** Writes a round that needs no publication (compaction of already published rounds). */
  abstract insertPublished(id: string, values: readonly StoredValue[], writtenAt?: Date): Promise<void>;
  abstract clearMark(id: string): Promise<void>;
  /** All rounds sorted by id (the order they were written). */
  abstract all(): Promise<Array<{ id: string; pending: boolean; values: StoredValue[] }>>;
  abstract deleteRounds(ids: readonly string[]): Promise<void>;
}
