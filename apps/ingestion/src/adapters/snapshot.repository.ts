import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { MONGO_CONNECTION } from '@sozialmonitor/platform';
import { mongo, type Connection } from 'mongoose';
import { type Snapshot, SnapshotStore } from '../application/ports/snapshot.store';

interface SnapshotDocument extends Snapshot {
  _id: string;
}

const COLLECTION = 'ingestion_snapshots';
const idOf = (source: string, snapshotId: string) => `${source}:${snapshotId}`;

/** The only door to the snapshot collection. */
@Injectable()
export class SnapshotRepository implements SnapshotStore, OnModuleInit {
  private readonly collection: mongo.Collection<SnapshotDocument>;

  constructor(@Inject(MONGO_CONNECTION) connection: Connection) {
    this.collection = connection.db!.collection<SnapshotDocument>(COLLECTION);
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

  /** Creates the snapshot if it does not exist (a concurrent creation is fine). */
  async create(source: string, snapshotId: string, startedAt: Date): Promise<void> {
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
  }
}

function strip(doc: SnapshotDocument): Snapshot {
  const { _id, ...snapshot } = doc;
  void _id;
  return snapshot;
}
