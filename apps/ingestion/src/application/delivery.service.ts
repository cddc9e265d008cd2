import { Injectable, Logger } from '@nestjs/common';
import type { SourceDeclaration } from '@sozialmonitor/contracts';
import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { openDelivery, type BodyFormat } from '../domain/body/open-delivery';
import { IngestionEnvironment } from '../ingestion.environment';
import { IngestionMetrics, type DeliveryChannel, type DeliveryOutcome } from './ingestion.metrics';
import { SnapshotConflictError, SnapshotService } from './snapshot.service';
import { DeliveryInterruptedError, processDelivery } from './delivery-processor';
import type { DeliveryReport } from '../domain/delivery-report';
import { RawRecordWriter } from './raw-record-writer';

export interface DeliveryRequest {
  declaration: SourceDeclaration;
  body: Readable;
  format: BodyFormat;
  gzip: boolean;
  snapshotId?: string;
  channel: DeliveryChannel;
  /** The token's name (never the token), or the drop-folder file's source. */
  deliveredBy: string;
  /** Aborted when the client went away (HTTP): the delivery stops instead of working on for nobody. */
  signal?: AbortSignal;
}

/**
 * One delivery, whatever its channel (HTTP or drop folder): opens the body stream, checks the
 * snapshot, processes the records and records metrics and one log line. Throws
 * DeliveryInterruptedError (body unreadable or too large mid-way, Kafka/MongoDB failed) or
 * SnapshotConflictError; the channel turns them into its answer.
 */
@Injectable()
export class DeliveryService {
  private readonly log = new Logger('DeliveryService');

  constructor(
    private readonly env: IngestionEnvironment,
    private readonly writer: RawRecordWriter,
    private readonly snapshots: SnapshotService,
    private readonly metrics: IngestionMetrics,
  ) {}

  async deliver(request: DeliveryRequest): Promise<DeliveryReport> {
    const source = request.declaration.name;
    const deliveryId = randomUUID();
    const started = Date.now();
    if (request.snapshotId) {
      try {
        await this.snapshots.open(source, request.snapshotId);
      } catch (e) {
        if (e instanceof SnapshotConflictError) this.count(request, 'conflict');
        throw e;
      }
    }
    // While a snapshot of the source is open, every delivery's records belong to it (they are newer than the extract).
    const memberOf = request.snapshotId ?? (await this.snapshots.openSnapshotOf(source));
    const body = openDelivery(request.body, {
      format: request.format,
      gzip: request.gzip,
      limitBytes: this.env.INGESTION_MAX_BODY_BYTES,
      decompressedLimitBytes: this.env.INGESTION_MAX_DECOMPRESSED_BYTES,
      maxExpansionRatio: this.env.INGESTION_MAX_GZIP_RATIO,
      signal: request.signal,
    });
    const summary = (report: DeliveryReport, extra: Record<string, unknown>) =>
      JSON.stringify({
        deliveryId,
        source,
        channel: request.channel,
        deliveredBy: request.deliveredBy,
        format: request.format,
        gzip: request.gzip,
        snapshotId: request.snapshotId,
        received: report.received,
        accepted: report.accepted,
        rejected: report.rejected,
        bytes: body.receivedBytes(),
        ms: Date.now() - started,
        ...extra,
      });
    try {
      const report = await processDelivery(
        {
          deliveryId,
          declaration: request.declaration,
          items: body.items,
          csv: request.format === 'csv',
          snapshotId: request.snapshotId,
          memberOf,
          onProgress: (delta) => this.metrics.progress(source, delta),
        },
        this.writer,
      );
      if (request.snapshotId) await this.snapshots.delivered(source, request.snapshotId, report.accepted);
      this.metrics.bytes.inc({ source }, body.receivedBytes());
      this.count(request, 'accepted');
      this.log.log(`delivery accepted ${summary(report, {})}`);
      return report;
    } catch (e) {
      if (!(e instanceof DeliveryInterruptedError)) throw e;
      const outcome: DeliveryOutcome = e.why;
      this.metrics.bytes.inc({ source }, body.receivedBytes());
      this.count(request, outcome);
      // Our body errors carry fixed texts; anything else (driver errors) is logged by name only.
      const reason = outcome === 'unavailable' ? `${(e.cause as Error)?.name}` : (e.cause as Error).message;
      this.log.warn(`delivery interrupted ${summary(e.report, { outcome, published: e.published, reason })}`);
      throw e;
    }
  }

  private count(request: DeliveryRequest, outcome: DeliveryOutcome): void {
    this.metrics.deliveries.inc({ source: request.declaration.name, channel: request.channel, outcome });
  }
}
