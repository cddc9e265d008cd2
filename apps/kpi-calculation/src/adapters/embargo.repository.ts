import { Inject, Injectable } from '@nestjs/common';
import { DependencyUnavailableError } from '@sozialmonitor/messaging';
import { MONGO_CONNECTION } from '@sozialmonitor/platform';
import type { Connection, mongo } from 'mongoose';
import type { Embargo } from '../domain/embargo';
import type { EmbargoStore } from '../application/ports/embargo.store';

type EmbargoDocument = Omit<Embargo, 'id'> & { _id: string };

export const EMBARGOES_COLLECTION = 'kpi_embargoes';
const DUPLICATE_KEY = 11000;

/** A read that fails is the database being unavailable: the round retries, and nothing held is published. */
async function reachable<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if ((e as { code?: number }).code === DUPLICATE_KEY) throw e;
    throw new DependencyUnavailableError('MongoDB unavailable (embargoes)', { cause: e });
  }
}

/** The holds (the only code that talks to `kpi_embargoes`); one small document per held year. */
@Injectable()
export class EmbargoRepository implements EmbargoStore {
  private readonly embargoes: mongo.Collection<EmbargoDocument>;

  constructor(@Inject(MONGO_CONNECTION) connection: Connection) {
    this.embargoes = connection.db!.collection<EmbargoDocument>(EMBARGOES_COLLECTION);
  }

  async all(): Promise<Embargo[]> {
    return reachable(async () => (await this.embargoes.find({}).toArray()).map(({ _id, ...e }) => ({ id: _id, ...e })));
  }

  async insert(embargo: Embargo): Promise<boolean> {
    const { id, ...rest } = embargo;
    try {
      await reachable(() => this.embargoes.insertOne({ _id: id, ...rest }));
      return true;
    } catch (e) {
      if ((e as { code?: number }).code === DUPLICATE_KEY) return false;
      throw e;
    }
  }

  async reschedule(id: string, releaseAt: string): Promise<boolean> {
    const r = await reachable(() => this.embargoes.updateOne({ _id: id, state: 'held' }, { $set: { releaseAt } }));
    return r.matchedCount === 1;
  }

  async markReleased(id: string, releasedAt: string, published: number): Promise<boolean> {
    const r = await reachable(() =>
      this.embargoes.updateOne({ _id: id, state: 'held' }, { $set: { state: 'released', releasedAt, published } }),
    );
    return r.matchedCount === 1;
  }
}
