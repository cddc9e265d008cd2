import { Injectable, Logger } from '@nestjs/common';
import { EVENT_TYPES, ceSource } from '@sozialmonitor/contracts';
import { deterministicId, EventPublisher } from '@sozialmonitor/messaging';
import { Clock } from '@sozialmonitor/platform';
import { IngestionEnvironment, SERVICE } from '../ingestion.environment';
import { IngestionMetrics } from './ingestion.metrics';
import { RecordVersionStore } from './ports/record-version.store';
import { type Snapshot, SnapshotStore } from './ports/snapshot.store';
import { RawRecordWriter } from './raw-record-writer';

/** A snapshot cannot be used as asked (another one is open for the source, or it is completed). */
export class SnapshotConflictError extends Error {
  override readonly name = 'SnapshotConflictError';
}
export class SnapshotNotFoundError extends Error {
  override readonly name = 'SnapshotNotFoundError';
}
/** Completing a snapshot without an accepted record would retract the whole source: only when forced. */
export class EmptySnapshotError extends Error {
  override readonly name = 'EmptySnapshotError';
}

const RETRACTION_BATCH = 1000;

/**
 * Snapshot deliveries (api.md): deliveries with `mode=snapshot&snapshotId=…` mark every record they
 * carry as a member; so does every other delivery to the source while the snapshot is open (its
 * records are newer than the extract). Completing the snapshot retracts every present record of the
 * source that is not a member. Retractions go out as raw deletion records, exactly like `deleted: true`.
 * One snapshot per source at a time; completing is idempotent and resumes after a crash.
 */
@Injectable()
export class SnapshotService {
  private readonly log = new Logger('SnapshotService');

  constructor(
    private readonly snapshots: SnapshotStore,
    private readonly versions: RecordVersionStore,
    private readonly writer: RawRecordWriter,
    private readonly publisher: EventPublisher,
    private readonly metrics: IngestionMetrics,
    private readonly clock: Clock,
    private readonly env: IngestionEnvironment,
  ) {}

  /** Before a snapshot delivery: the snapshot exists and is open (created on first use). */
  async open(source: string, snapshotId: string): Promise<void> {
    const existing = await this.snapshots.find(source, snapshotId);
    if (existing && existing.status !== 'open')
      throw new SnapshotConflictError(`snapshot ${snapshotId} of ${source} is already ${existing.status}`);
    if (!existing) {
      const other = await this.snapshots.openOtherThan(source, snapshotId);
      if (other)
        throw new SnapshotConflictError(`snapshot ${other.snapshotId} of ${source} is still open: complete it first`);
      const holder = await this.snapshots.create(source, snapshotId, this.clock.now());
      if (holder)
        throw new SnapshotConflictError(`snapshot ${holder} of ${source} is still open: complete it first`);
    }
  }

  /** The open snapshot of a source, if any: records delivered meanwhile belong to it too. */
  async openSnapshotOf(source: string): Promise<string | undefined> {
    return (await this.snapshots.openOtherThan(source, ''))?.snapshotId;
  }

  async delivered(source: string, snapshotId: string, accepted: number): Promise<void> {
    await this.snapshots.addDelivery(source, snapshotId, accepted);
  }

  /**
   * Completes a snapshot. One without an accepted record (an empty or wholly rejected extract) would
   * retract every record of the source: refused unless `force` (issue 11, hole 9).
   */
  async complete(source: string, snapshotId: string, options: { force?: boolean } = {}): Promise<Snapshot> {
    const snapshot = await this.snapshots.find(source, snapshotId);
    if (!snapshot) throw new SnapshotNotFoundError(`no snapshot ${snapshotId} of ${source} has been delivered`);
    if (snapshot.status === 'completed') return snapshot;
    if (snapshot.status === 'open' && snapshot.accepted === 0 && !options.force)
      throw new EmptySnapshotError(
        `snapshot ${snapshotId} of ${source} has no accepted record: completing it would retract every record of the source; ` +
          'complete it with force=true if that is meant',
      );
    await this.snapshots.markCompleting(source, snapshotId);
    let retracted = 0;
    for await (const recordIds of this.versions.notInSnapshot(source, snapshotId, RETRACTION_BATCH)) {
      await this.writer.write(
        source,
        recordIds.map((recordId) => ({ recordId, deleted: true as const })),
        { deliveryId: `snapshot:${snapshotId}` },
      );
      await this.snapshots.addRetracted(source, snapshotId, recordIds.length);
      this.metrics.retracted.inc({ source }, recordIds.length);
      retracted += recordIds.length;
    }
    const completedAt = this.clock.now();
    await this.snapshots.markCompleted(source, snapshotId, completedAt);
    await this.versions.forgetSnapshot(source, snapshotId);
    const done = (await this.snapshots.find(source, snapshotId))!;
    await this.publisher.publish([
      {
        topic: this.env.CONTROL_TOPIC,
        key: `snapshot:${source}:${snapshotId}`,
        id: deterministicId('snapshot-completed', source, snapshotId),
        type: EVENT_TYPES.snapshotCompleted,
        source: ceSource(SERVICE),
        subject: source,
        time: completedAt.toISOString(),
        data: {
          source,
          snapshotId,
          deliveries: done.deliveries,
          accepted: done.accepted,
          retracted: done.retracted,
          completedAt: completedAt.toISOString(),
        },
      },
    ]);
    this.log.log(
      `snapshot completed ${JSON.stringify({ source, snapshotId, retracted, retractedTotal: done.retracted })}`,
    );
    return done;
  }
}
