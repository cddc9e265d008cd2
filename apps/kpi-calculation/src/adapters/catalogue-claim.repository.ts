import { Inject, Injectable } from '@nestjs/common';
import { MONGO_CONNECTION } from '@sozialmonitor/platform';
import type { Connection, mongo } from 'mongoose';
import { VersionClaims } from '../application/ports/catalogue-log';

interface ClaimDocument {
  _id: number;
  by: string;
  at: Date;
}

export const CATALOGUE_CLAIM_COLLECTION = 'catalogue_version_claims';
const TAKE_OVER_AFTER_MS = 60_000;

/** Claims of catalogue version numbers in MongoDB (unique `_id`): one writer per number. */
@Injectable()
export class CatalogueClaimRepository extends VersionClaims {
  private readonly collection: mongo.Collection<ClaimDocument>;

  constructor(@Inject(MONGO_CONNECTION) connection: Connection) {
    super();
    this.collection = connection.db!.collection<ClaimDocument>(CATALOGUE_CLAIM_COLLECTION);
  }

  async claim(version: number, by: string, isMade: () => boolean): Promise<boolean> {
    const at = new Date();
    try {
      await this.collection.insertOne({ _id: version, by, at });
      return true;
    } catch (e) {
      if ((e as { code?: number }).code !== 11000) throw e;
    }
    if (isMade()) return false;
    // A writer that claimed the number and never made the version (it crashed): take it over.
    const stale = new Date(at.getTime() - TAKE_OVER_AFTER_MS);
    const taken = await this.collection.updateOne({ _id: version, at: { $lt: stale } }, { $set: { by, at } });
    return taken.modifiedCount === 1;
  }
}
