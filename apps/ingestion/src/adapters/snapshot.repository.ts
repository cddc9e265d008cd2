import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { MONGO_CONNECTION } from '@sozialmonitor/platform';
import { mongo, type Connection } from 'mongoose';
import { type Snapshot, SnapshotStore } from '../application/ports/snapshot.store';

interface SnapshotDocument extends Snapshot {
  _id: string;
}

const COLLECTION = 'ingestion_snapshots';
/**
 * One document per source with an open snapshot: `_id` is the source, so the unique `_id` makes the
 * database refuse a second open snapshot of a source even when two deliveries start one at once
 * (issue 11, hole 9). Taken when a snapshot is created, released when it is completed.
 */
const SLOTS = 'ingestion_snapshot_slots';

interface SlotDocument {
  _id: string;
  snapshotId: string;
}
const idOf = (source: string, snapshotId: string) => `${source}:${snapshotId}`;

/** The only door to the snapshot collection. */
@Injectable()
export class SnapshotRepository implements SnapshotStore, OnModuleInit {
  private readonly collection: mongo.Collection<SnapshotDocument>;
  private readonly slots: mongo.Collection<SlotDocument>;

  constructor(@Inject(MONGO_CONNECTION) connection: Connection) {
    this.collection = connection.db!.collection<SnapshotDocument>(COLLECTION);
    this.slots = connection.db!.collection<SlotDocument>(SLOTS);
  }

  async onModuleInit(): Promise<void> {
    await this.collection.createIndex({ source: 1, status: 1 });
  }

  async find(source: string, snapshotId: string): Promise<Snapshot | null> {
    const doc = await this.collection.findOne({ _id: idOf(source, snapshotId) });
    return doc ? strip(doc) : null;
  }

  /** Another snapshot of the source that is not completed yet, if any. */
  async openOtherThan(source: string, snapshotId: string): Promise<Snapshot | null> {
    const doc = await this.collection.findOne({
      source,
      status: { $in: ['open', 'completing'] },
      snapshotId: { $ne: snapshotId },
    });
    return doc ? strip(doc) : null;
  }

  /** Creates the snapshot if it does not exist; the id of the other open snapshot of the source when one holds the slot. */
  async create(source: string, snapshotId: string, startedAt: Date): Promise<string | undefined> {
    try {
      await this.slots.insertOne({ _id: source, snapshotId });
    } catch (e) {
      if ((e as { code?: number }).code !== 11000) throw e;
      const holder = await this.slots.findOne({ _id: source });
      // released between the insert and the read: try again
      if (!holder) return this.create(source, snapshotId, startedAt);
      if (holder.snapshotId !== snapshotId) {
        // a slot left behind by a crash between completing and releasing: the snapshot is done
        const held = await this.collection.findOne({ _id: idOf(source, holder.snapshotId) });
        if (held?.status !== 'completed') return holder.snapshotId;
        await this.slots.deleteOne({ _id: source, snapshotId: holder.snapshotId });
        return this.create(source, snapshotId, startedAt);
      }
    }
    try {
      await this.collection.insertOne({
        _id: idOf(source, snapshotId),
        source,
        snapshotId,
        status: 'open',
        startedAt,
        deliveries: 0,
        accepted: 0,
        retracted: 0,
      });
    } catch (e) {
      if ((e as { code?: number }).code !== 11000) throw e;
    }
    return undefined;
  }

  async addDelivery(source: string, snapshotId: string, accepted: number): Promise<void> {
    await this.collection.updateOne({ _id: idOf(source, snapshotId) }, { $inc: { deliveries: 1, accepted } });
  }

  /** Marks an open snapshot as completing; false when it is not open or completing. */
  async markCompleting(source: string, snapshotId: string): Promise<boolean> {
    const r = await this.collection.updateOne(
      { _id: idOf(source, snapshotId), status: { $in: ['open', 'completing'] } },
      { $set: { status: 'completing' } },
    );
    return r.matchedCount === 1;
  }

  async addRetracted(source: string, snapshotId: string, n: number): Promise<void> {
    await this.collection.updateOne({ _id: idOf(source, snapshotId) }, { $inc: { retracted: n } });
  }

  async markCompleted(source: string, snapshotId: string, completedAt: Date): Promise<void> {
    await this.collection.updateOne({ _id: idOf(source, snapshotId) }, { $set: { status: 'completed', completedAt } });
    await this.slots.deleteOne({ _id: source, snapshotId });
  }
}

function strip(doc: SnapshotDocument): Snapshot {
  const { _id, ...snapshot } = doc;
  void _id;
  return snapshot;
}
