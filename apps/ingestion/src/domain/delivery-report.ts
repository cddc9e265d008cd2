import type { RecordError } from '@sozialmonitor/contracts';

/** At most this many errors are listed in an answer; the counts are always complete (api.md). */
export const MAX_LISTED_ERRORS = 1000;

/** The answer to a delivery (api.md): counts, and the errors naming index, line, recordId, field and rule. */
export interface DeliveryReport {
  deliveryId: string;
  source: string;
  received: number;
  accepted: number;
  rejected: number;
  /** True when more errors occurred than are listed. */
  errorsTruncated?: boolean;
  errors: DeliveryError[];
  snapshotId?: string;
}

/** A record error; `rule` names the broken rule (`syntax`, `required`, `enum`, …). */
export type DeliveryError = RecordError | (Omit<RecordError, 'rule'> & { rule: string });
