import type { KpiValuePayload } from '@sozialmonitor/contracts';

/** A document written by `append`: its number and how many of the payloads (in order) it holds. */
export interface LoggedChunk {
  readonly n: number;
  readonly count: number;
}

/** The shared, numbered log of published forms (MongoDB in the service). */
export abstract class PublicationLog {
  /** Stores published forms (in chunks, in order) and returns the number and size of each document. */
  abstract append(payloads: readonly KpiValuePayload[], writtenAt?: Date): Promise<LoggedChunk[]>;
  /** The highest number taken so far (0: nothing written). */
  abstract head(): Promise<number>;
  /** The documents with these numbers (missing numbers are left out). */
  abstract read(numbers: readonly number[]): Promise<{ n: number; payloads: KpiValuePayload[] }[]>;
  /** Every document, in no particular order (streamed, a few at a time). */
  abstract all(): AsyncGenerator<{ n: number; payloads: KpiValuePayload[] }>;
  /** The documents with these numbers, in no particular order (streamed, a few at a time; missing ones left out). */
  abstract some(numbers: readonly number[]): AsyncGenerator<{ n: number; payloads: KpiValuePayload[] }>;
}
