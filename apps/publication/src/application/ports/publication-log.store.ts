import type { KpiValuePayload } from '@sozialmonitor/contracts';

/** The shared, numbered log of published forms (MongoDB in the service). */
export abstract class PublicationLog {
  /** Stores published forms (in chunks) and returns the numbers their documents got. */
  abstract append(payloads: readonly KpiValuePayload[], writtenAt?: Date): Promise<number[]>;
  /** The highest number taken so far (0: nothing written). */
  abstract head(): Promise<number>;
  /** The documents with these numbers (missing numbers are left out). */
  abstract read(numbers: readonly number[]): Promise<{ n: number; payloads: KpiValuePayload[] }[]>;
  /** Every document, in no particular order (streamed, a few at a time). */
  abstract all(): AsyncGenerator<{ n: number; payloads: KpiValuePayload[] }>;
}
