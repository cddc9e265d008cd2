import { Injectable } from '@nestjs/common';
import { sourceDeclaration } from '@sozialmonitor/contracts';
import { type ApplyResult, ChangeSet, IndicatorEngine } from '@sozialmonitor/indicators';
import { SourceDeclarations } from '@sozialmonitor/messaging';
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

  constructor(
    private readonly metrics: KpiCalculationMetrics,
    private readonly sources: SourceDeclarations,
  ) {}

  /**
   * Call before `apply`: when entries name a source this instance has not adopted yet (registered at
   * run time a moment ago), reads the source topic to its end, so its measures exist when counting.
   */
  async knowSourcesOf(entries: readonly LakeEntry[]): Promise<void> {
    if (entries.some((e) => !sourceDeclaration(e.message.source)))
      await this.sources.catchUpIfPossible();
  }

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
