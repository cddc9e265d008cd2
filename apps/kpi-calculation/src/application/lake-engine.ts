import { Injectable } from '@nestjs/common';
import { type ApplyResult, ChangeSet, IndicatorEngine } from '@sozialmonitor/indicators';
import type { LakeEntry } from '../domain/lake-entry';
import { LakeVersions } from '../domain/lake-versions';
import { KpiCalculationMetrics } from './kpi-calculation.metrics';

/**
 * The counting engine with the whole lake in memory, and which version of every record it holds.
 * Entries are applied when they are newer and different than what it holds, so batches may come
 * twice, from a replay, or from the store and the topic overlapping: the engine ends in the same state.
 */
@Injectable()
export class LakeEngine {
  readonly engine = new IndicatorEngine();
  private readonly versions = new LakeVersions();
  private loaded = false;

  constructor(private readonly metrics: KpiCalculationMetrics) {}

  get ready(): boolean {
    return this.loaded;
  }

  markLoaded(): void {
    this.engine.compact();
    this.loaded = true;
    this.metrics.lakeRecords.set(this.engine.recordCount);
  }

  /** Applies the new versions among `entries` (offset order per partition). */
  apply(entries: readonly LakeEntry[]): ApplyResult & { accepted: number } {
    const messages = [];
    for (const e of entries) {
      if (!this.versions.isNew(e.key, e.offset, e.hash)) continue;
      this.versions.set(e.key, e.offset, e.hash);
      messages.push(e.message);
    }
    if (messages.length === 0)
      return { changes: new ChangeSet(), rejected: [], references: [], sources: [], accepted: 0 };
    const result = this.engine.apply(messages);
    if (this.loaded) this.metrics.lakeRecords.set(this.engine.recordCount);
    return { ...result, accepted: messages.length };
  }
}
