import { validateRecord, type SourceDeclaration, type SourceRecord } from '@sozialmonitor/contracts';
import { BodyAbortedError, BodyTooLargeError, type BodyItem, UnreadableBodyError } from '../domain/body/body-item';
import { MAX_LISTED_ERRORS, type DeliveryError, type DeliveryReport } from '../domain/delivery-report';
import type { RawRecordWriter } from './raw-record-writer';

/** Records are sealed and published in batches of this many (one Kafka request, one MongoDB bulk write). */
export const PUBLISH_BATCH = 2000;
/** Batches in flight at once (one registering, one publishing). */
const MAX_PENDING = 2;

export interface DeliveryInput {
  deliveryId: string;
  declaration: SourceDeclaration;
  items: AsyncIterable<BodyItem>;
  csv: boolean;
  /** A snapshot delivery's id (reported back). */
  snapshotId?: string;
  /** The snapshot the records belong to: this delivery's, or the source's open one. */
  memberOf?: string;
  /** Called after each published batch (metrics). */
  onProgress?: (delta: { received: number; accepted: number; rejected: number }) => void;
}

/**
 * The delivery stopped before its end: the body became unreadable, too large, or Kafka/MongoDB failed.
 * `report` holds the counts so far; `published` the records that are durably in Kafka (records of the
 * batch in hand when it stopped were not published).
 */
export class DeliveryInterruptedError extends Error {
  override readonly name = 'DeliveryInterruptedError';
  /** Why it stopped: the sender's fault (an unreadable or too large body, gone away) or ours (unavailable). */
  readonly why: Interruption;
  constructor(
    override readonly cause: unknown,
    readonly report: DeliveryReport,
    readonly published: number,
  ) {
    super(`delivery interrupted: ${(cause as Error)?.message ?? 'error'}`);
    this.why = interruptionOf(cause);
  }
}

/**
 * Why a delivery stopped, decided in this one place for the HTTP answer, the drop folder and the
 * metrics: the first three are the delivery's own fault (answer 4xx, do not retry the same bytes), the
 * last is Kafka or MongoDB (503; a re-send replaces, never duplicates).
 */
export type Interruption = 'unreadable' | 'too_large' | 'aborted' | 'unavailable';

function interruptionOf(cause: unknown): Interruption {
  if (cause instanceof UnreadableBodyError) return 'unreadable';
  if (cause instanceof BodyTooLargeError) return 'too_large';
  if (cause instanceof BodyAbortedError) return 'aborted';
  return 'unavailable';
}

/**
 * Reads a delivery record by record, validates each against its source declaration, and writes the
 * accepted ones in batches while reading on. Resolves with the report only after every accepted record is
 * acknowledged by Kafka.
 */
export async function processDelivery(input: DeliveryInput, writer: RawRecordWriter): Promise<DeliveryReport> {
  const { declaration, deliveryId } = input;
  const report: DeliveryReport = {
    deliveryId,
    source: declaration.name,
    received: 0,
    accepted: 0,
    rejected: 0,
    errors: [],
  };
  if (input.snapshotId) report.snapshotId = input.snapshotId;
  const format = input.csv ? 'csv' : 'json';
  const context = { deliveryId, snapshotId: input.memberOf ?? input.snapshotId };
  let batch: SourceRecord[] = [];
  let published = 0;
  let reported = { received: 0, accepted: 0, rejected: 0 };
  // Two stages, each in order: registering batch k+1 (MongoDB) overlaps publishing batch k (Kafka);
  // at most MAX_PENDING batches are in flight, so memory stays bounded whatever the body size.
  let registering: Promise<unknown> = Promise.resolve();
  let publishing: Promise<unknown> = Promise.resolve();
  const pending: Promise<void>[] = [];

  const listError = (e: DeliveryError) => {
    if (report.errors.length < MAX_LISTED_ERRORS) report.errors.push(e);
    else report.errorsTruncated = true;
  };
  const progress = () => {
    input.onProgress?.({
      received: report.received - reported.received,
      accepted: report.accepted - reported.accepted,
      rejected: report.rejected - reported.rejected,
    });
    reported = { received: report.received, accepted: report.accepted, rejected: report.rejected };
  };
  const submit = (records: SourceRecord[]) => {
    const prepared = registering.then(() => writer.prepare(declaration.name, records, context));
    registering = prepared;
    const done = Promise.all([prepared, publishing]).then(async ([events]) => {
      await writer.publish(events);
      published += records.length;
      progress();
    });
    publishing = done;
    done.catch(() => undefined); // awaited through `pending`; no unhandled rejection meanwhile
    pending.push(done);
  };

  try {
    for await (const item of input.items) {
      const index = report.received++;
      if (item.problem) {
        report.rejected++;
        const e: DeliveryError = {
          index,
          field: item.problem.field,
          rule: item.problem.rule,
          message: item.problem.message,
        };
        if (item.line !== undefined) e.line = item.line;
        listError(e);
        continue;
      }
      const result = validateRecord(declaration, item.raw!, { index, line: item.line }, format);
      if (!result.ok) {
        report.rejected++;
        for (const e of result.errors) listError(e);
        continue;
      }
      report.accepted++;
      batch.push(result.record);
      if (batch.length >= PUBLISH_BATCH) {
        while (pending.length >= MAX_PENDING) await pending.shift();
        submit(batch);
        batch = [];
      }
    }
    submit(batch);
    while (pending.length > 0) await pending.shift();
    progress();
    return report;
  } catch (cause) {
    await Promise.allSettled(pending);
    progress();
    throw new DeliveryInterruptedError(cause, report, published);
  }
}
