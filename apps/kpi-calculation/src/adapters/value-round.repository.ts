import { Inject, Injectable } from '@nestjs/common';
import { MONGO_CONNECTION, pack, unpack } from '@sozialmonitor/platform';
import type { Connection, mongo } from 'mongoose';
import type { PublishedValueRecord, ValueRoundStore } from '../application/ports/value-round.store';

interface ValueRoundDocument {
  /** Zero-padded sequence: rounds sort by _id in the order they were written. */
  _id: string;
  /** The "to publish" mark: set with the values in one write, cleared after Kafka acknowledged them. */
  pending: boolean;
  count: number;
  writtenAt: Date;
  /** gzip JSON of StoredForm[]. */
  data: mongo.Binary;
}

/**
 * A record's form on disk: one-letter names because a round holds 2,000 of them, and the form of every
 * round written so far (a rename here would make stored rounds unreadable).
 */
interface StoredForm {
  k: string;
  h: string;
  p: PublishedValueRecord['payload'];
  x: PublishedValueRecord['exact'];
}

const toStored = (values: readonly PublishedValueRecord[]): StoredForm[] =>
  values.map((v) => ({ k: v.key, h: v.hash, p: v.payload, x: v.exact }));
const fromStored = (stored: readonly StoredForm[]): PublishedValueRecord[] =>
  stored.map((s) => ({ key: s.k, hash: s.h, payload: s.p, exact: s.x }));

export const VALUE_ROUND_COLLECTION = 'kpi_value_rounds';

/**
 * Published values, one document per publication round (chunk): the changed values' published forms
 * together with the "to publish" mark in one document write. The latest form of a key is the one in
 * the latest round; compaction rewrites all of them as one round and deletes the older rounds.
 */
@Injectable()
export class ValueRoundRepository implements ValueRoundStore {
  private readonly collection: mongo.Collection<ValueRoundDocument>;

  constructor(@Inject(MONGO_CONNECTION) connection: Connection) {
    this.collection = connection.db!.collection<ValueRoundDocument>(VALUE_ROUND_COLLECTION);
  }

  /** Writes a round marked "to publish". */
  async insertPending(id: string, values: readonly PublishedValueRecord[], writtenAt = new Date()): Promise<void> {
    await this.collection.insertOne({ _id: id, pending: true, count: values.length, writtenAt, data: pack(toStored(values)) });
  }

  /** Writes a round that needs no publication (compaction of already published rounds). */
  async insertPublished(id: string, values: readonly PublishedValueRecord[], writtenAt = new Date()): Promise<void> {
    await this.collection.insertOne({ _id: id, pending: false, count: values.length, writtenAt, data: pack(toStored(values)) });
  }

  async clearMark(id: string): Promise<void> {
    await this.collection.updateOne({ _id: id }, { $set: { pending: false } });
  }

  /** All rounds sorted by id (the order they were written). */
  async all(): Promise<Array<{ id: string; pending: boolean; values: PublishedValueRecord[] }>> {
    const out: Array<{ id: string; pending: boolean; values: PublishedValueRecord[] }> = [];
    const cursor = this.collection.find({}, { batchSize: 8 });
    for await (const doc of cursor)
      out.push({ id: doc._id, pending: doc.pending, values: fromStored(unpack<StoredForm[]>(doc.data)) });
    return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  async deleteRounds(ids: readonly string[]): Promise<void> {
    for (const id of ids) await this.collection.deleteOne({ _id: id });
  }
}
