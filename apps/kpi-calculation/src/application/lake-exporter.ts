import { Injectable } from '@nestjs/common';
import { isLakeDeletion, lakeKey, type LakeRecord } from '@sozialmonitor/contracts';
import { exportLake, type LakeExport } from '../domain/lake-export';
import { LakeLogStore } from './ports/lake-log.store';

/**
 * The analysts' export of the anonymized lake (README "Exports"): the latest version of every record
 * from the durable lake (MongoDB: what the engine was loaded from), deletions applied, in key order,
 * made k-anonymous per source by `exportLake`.
 */
@Injectable()
export class LakeExporter {
  constructor(private readonly store: LakeLogStore) {}

  async export(k: number): Promise<LakeExport> {
    const latest = new Map<string, { offset: number; partition: number; message: LakeRecord | undefined }>();
    for await (const chunk of this.store.chunks()) {
      for (const [offset, , message] of chunk.entries) {
        const key = lakeKey(message.source, message.recordId);
        const held = latest.get(key);
        // a key lives in one partition: its highest offset is its latest version
        if (held && held.partition === chunk.partition && held.offset >= offset) continue;
        latest.set(key, { offset, partition: chunk.partition, message: isLakeDeletion(message) ? undefined : message });
      }
    }
    const records = [...latest.entries()]
      .filter(([, v]) => v.message !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, v]) => v.message!);
    return exportLake(records, k);
  }
}
