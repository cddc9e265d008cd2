import type { KpiValuePayload } from '@sozialmonitor/contracts';

/** One document of the log: its number, its published forms, and whether they are in the values' histories yet. */
export interface LogDocumentRead {
  readonly n: number;
  readonly payloads: KpiValuePayload[];
  readonly inHistories: boolean;
}

/**
 * The shared, numbered log of published forms (MongoDB in the service), and beside it the history of
 * every value (every publication of it, looked up by its key for `asOf`).
 */
export abstract class PublicationLog {
  /** Stores published forms (in chunks, in order) and returns the documents written (not yet in the histories). */
  abstract append(payloads: readonly KpiValuePayload[], writtenAt?: Date): Promise<LogDocumentRead[]>;
  /** The highest number taken so far (0: nothing written). */
  abstract head(): Promise<number>;
  /** The documents with these numbers (missing numbers are left out). */
  abstract read(numbers: readonly number[]): Promise<LogDocumentRead[]>;
  /** Every document, in no particular order (streamed, a few at a time). */
  abstract all(): AsyncGenerator<LogDocumentRead>;
  /**
   * Adds a log document's published forms to their values' histories and marks it as done (idempotent:
   * a publication already there stays once). For documents written before the histories existed, or by
   * a writer that stopped in between.
   */
  abstract addToHistories(n: number, payloads: readonly KpiValuePayload[]): Promise<void>;
  /** Whether a log document's publications are in the histories already (marked). */
  abstract inHistories(n: number): Promise<boolean>;
  /** Every publication of these values (by value key; an unknown key has none). */
  abstract historiesOf(keys: readonly string[]): Promise<KpiValuePayload[]>;
}
