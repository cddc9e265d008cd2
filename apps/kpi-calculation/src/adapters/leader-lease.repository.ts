import { Inject, Injectable } from '@nestjs/common';
import { MONGO_CONNECTION } from '@sozialmonitor/platform';
import type { Connection, mongo } from 'mongoose';
import type { LeaderLeaseStore } from '../application/ports/leader-lease.store';

interface LeaseDocument {
  _id: string;
  holder: string;
  expiresAt: Date;
}

const COLLECTION = 'kpi_calculation_leases';
const LEASE_ID = 'publisher';
const DUPLICATE_KEY = 11000;

/**
 * The publisher lease: one instance at a time writes the lake store and publishes values. A single
 * atomic document write decides (no transactions): renew when held or expired, else the upsert hits
 * the existing _id and fails with a duplicate key.
 */
@Injectable()
export class LeaderLeaseRepository implements LeaderLeaseStore {
  private readonly collection: mongo.Collection<LeaseDocument>;

  constructor(@Inject(MONGO_CONNECTION) connection: Connection) {
    this.collection = connection.db!.collection<LeaseDocument>(COLLECTION);
  }

  async tryAcquire(holder: string, ttlMs: number, now = new Date()): Promise<boolean> {
    try {
      await this.collection.updateOne(
        { _id: LEASE_ID, $or: [{ holder }, { expiresAt: { $lt: now } }] },
        { $set: { holder, expiresAt: new Date(now.getTime() + ttlMs) } },
        { upsert: true },
      );
      return true;
    } catch (e) {
      if ((e as { code?: number }).code === DUPLICATE_KEY) return false;
      throw e;
    }
  }

  async release(holder: string): Promise<void> {
    await this.collection.deleteOne({ _id: LEASE_ID, holder });
  }
}
