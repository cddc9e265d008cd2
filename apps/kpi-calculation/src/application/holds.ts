import { Injectable } from '@nestjs/common';
import { HoldSet } from '../domain/embargo';
import { EmbargoStore } from './ports/embargo.store';

/**
 * The holds in force, read from MongoDB before every publishing round (a handful of documents): a hold
 * placed on any instance applies to the publisher's next round, and when MongoDB cannot be read the
 * round fails and is retried — nothing is published unchecked.
 */
@Injectable()
export class Holds {
  readonly set = new HoldSet();

  constructor(private readonly store: EmbargoStore) {}

  async refresh(): Promise<HoldSet> {
    this.set.replace(await this.store.all());
    return this.set;
  }
}
