import { validateRecord, type SourceDeclaration, type SourceRecord } from '@sozialmonitor/contracts';
import type { BodyItem } from '../body/body-item';
import { MAX_LISTED_ERRORS, type DeliveryError, type DeliveryReport } from './delivery-report';
import type { RawRecordWriter } from './raw-record-writer';

/** Records are sealed and published in batches of this many (one Kafka request, one MongoDB bulk write). */
export const PUBLISH_BATCH = 1000;

export interface DeliveryInput {
  deliveryId: string;
  declaration: SourceDeclaration;
  items: AsyncIterable<BodyItem>;
  csv: boolean;
  snapshotId?: string;
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
  constructor(
    override readonly cause: unknown,
    readonly report: DeliveryReport,
    readonly published: number,
  ) {
    super(`delivery interrupted: ${(cause as Error)?.message ?? 'error'}`);
  }
}

/**
 * Reads a delivery record by record, validates each against its source declaration, and writes the
 * accepted ones in batches while reading on (one batch in flight, so memory stays bounded by two
 * batches whatever the body size). Resolves with the report only after every accepted record is
 * acknowledged by Kafka.
 */
export async function processDelivery(input: DeliveryInput, writer: RawRecordWriter): Promise<DeliveryReport> {
  const { declaration, deliveryId } = input;
  const report: DeliveryReport = { deliveryId, source: declaration.name, received: 0, accepted: 0, rejected: 0, errors: [] };
  if (input.snapshotId) report.snapshotId = input.snapshotId;
  const format = input.csv ? 'csv' : 'json';
  let batch: SourceRecord[] = [];
  let inFlight: Promise<void> | undefined;
  let published = 0;
  let reported = { received: 0, accepted: 0, rejected: 0 };

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
  const flush = async (records: SourceRecord[]) => {
    await writer.write(declaration.name, records, { deliveryId, snapshotId: input.snapshotId });
    published += records.length;
    progress();
  };

  try {
    for await (const item of input.items) {
      const index = report.received++;
      if (item.problem) {
        report.rejected++;
        const e: DeliveryError = { index, field: item.problem.field, rule: item.problem.rule, message: item.problem.message };
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
        if (inFlight) await inFlight;
        inFlight = flush(batch);
        inFlight.catch(() => undefined); // awaited below; avoid an unhandled rejection meanwhile
        batch = [];
      }
    }
    if (inFlight) await inFlight;
    inFlight = undefined;
    await flush(batch);
    progress();
    return report;
  } catch (cause) {
    if (inFlight) await inFlight.catch(() => undefined);
    progress();
    throw new DeliveryInterruptedError(cause, report, published);
  }
}
