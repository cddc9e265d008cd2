import { type BeforeApplicationShutdown, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { lakeKey } from '@sozialmonitor/contracts';
import { isDependencyFailure } from '@sozialmonitor/messaging';
import type { LakeEntry } from '../domain/lake-entry';
import { LakeLogRepository } from './lake-log.repository';
import { LakeOffsets } from './lake-offsets.admin';
import { CatalogueService } from '../application/catalogue.service';
import { Clock } from '@sozialmonitor/platform';
import { CatalogueAdministration } from '../application/catalogue-administration';
import { LakeConsumers } from './lake.consumer';
import { LakeEngine } from '../application/lake-engine';
import { LakeStore } from '../application/lake-store';
import { Leadership } from '../application/leadership';
import { RecomputeScheduler } from '../application/recompute-scheduler';
import { ValuePublisher } from '../application/value-publisher';

const DAY_CHECK_MS = 60_000;
const CATCH_UP_LIMIT_MS = 15 * 60_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Start and stop of the service: load the lake from MongoDB into the engine (HTTP answers and
 * readiness wait for it), then either publish (lease holder: publish what an earlier run left marked,
 * recompute everything, consume the lake topic in the service's group) or follow (keep the engine
 * current from the topic). A new calendar day recomputes `current` (and a newly completed year).
 */
@Injectable()
export class KpiCalculationRuntime implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly log = new Logger('KpiCalculation');
  private stopping = false;
  private started?: Promise<void>;
  private dayTimer?: NodeJS.Timeout;
  private lastDay = 0;
  private firstGain = true;
  /** Counts publisher terms: a catch-up of an earlier term must not enable the scheduler. */
  private term = 0;

  constructor(
    private readonly catalogue: CatalogueService,
    private readonly lake: LakeEngine,
    private readonly store: LakeStore,
    private readonly lakeLog: LakeLogRepository,
    private readonly consumers: LakeConsumers,
    private readonly offsets: LakeOffsets,
    private readonly scheduler: RecomputeScheduler,
    private readonly publisher: ValuePublisher,
    private readonly leadership: Leadership,
    private readonly catalogueAdmin: CatalogueAdministration,
    private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    // In the background: the HTTP server answers (health: not ready) while the lake loads.
    this.started = this.start().catch((e) => {
      this.log.error(`start failed: ${(e as Error).name}: ${(e as Error).message}`);
      process.exit(1);
    });
  }

  /** Resolves when the lake is loaded and the consumers run (tests). */
  whenStarted(): Promise<void> {
    return this.started ?? Promise.resolve();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    clearInterval(this.dayTimer);
    await this.started; // never rejects: a failed start is logged and ends the process
    // Each step on its own: a failing one must not keep the others from releasing their resources.
    const step = async (what: string, fn: () => Promise<unknown>) => {
      try {
        await fn();
      } catch (e) {
        this.log.warn(`shutdown: ${what} failed (${(e as Error).name})`);
      }
    };
    // Within the 10 s a SIGTERM allows (operations.md), with room for the other modules' hooks: the
    // consumers leave their groups side by side, and a round still running gets what is left of 6 s
    // (rounds are crash-safe: the round document marks what is still to publish).
    const deadline = Date.now() + 6000;
    await Promise.all([
      step('stop the lake consumer', () => this.consumers.stopMain()),
      step('stop the follower consumer', () => this.consumers.stopFollower()),
      step('stop following the catalogue topic', () => this.catalogueAdmin.stop()),
    ]);
    await step('finish the recomputation', () => Promise.race([this.scheduler.idle(), sleep(Math.max(0, deadline - Date.now()))]));
    this.scheduler.disable();
    await step('release the lease', () => this.leadership.stop());
  }

  private async start(): Promise<void> {
    const committed = await this.retrying('read the consumer group offsets', () => this.offsets.committedOffsets());
    await this.retrying('load the lake', () => this.loadLake(true));
    this.lake.markLoaded();
    if (this.stopping) return;

    this.catalogue.onChange((changes) => this.scheduler.addIndicators([...changes.added, ...changes.changed]));
    // The active catalogue version before the first round: every instance follows the catalogue topic.
    await this.retrying('read the catalogue topic', () => this.catalogueAdmin.start());
    await this.leadership.start({ onGain: () => this.becomePublisher(), onLoss: () => this.becomeFollower() });
    if (!this.leadership.isLeader) await this.consumers.startFollower(committed);

    this.lastDay = this.clock.today();
    this.dayTimer = setInterval(() => {
      const today = this.clock.today();
      if (today !== this.lastDay) {
        this.lastDay = today;
        this.scheduler.recomputeEverything();
      }
    }, DAY_CHECK_MS);
  }

  private async becomePublisher(): Promise<void> {
    const term = ++this.term;
    await this.consumers.stopFollower();
    // A follower's engine may be ahead of the store: learn what the store holds before writing to it.
    if (!this.firstGain) await this.loadLake(false);
    this.firstGain = false;
    await this.publisher.loadState();
    const end = await this.offsets.endOffsets();
    await this.consumers.startMain();
    void this.compactLake(term); // never rejects: a failure is logged and tried again next term
    // Catch up with the topic before the first round, so that a backlog is not published half-counted.
    // In the background: the lease renewal must go on meanwhile.
    void this.offsets
      .waitUntilCommitted(end, CATCH_UP_LIMIT_MS, () => this.stopping || term !== this.term)
      .then((caughtUp) => {
        if (this.stopping || term !== this.term) return;
        if (!caughtUp) this.log.warn('publishing before the lake topic is fully consumed (catch-up took too long)');
        this.scheduler.enable();
        this.scheduler.recomputeEverything();
      })
      .catch((e: Error) => this.log.error(`publishing not started after the catch-up: ${e.message}`));
  }

  private async becomeFollower(): Promise<void> {
    this.term++;
    this.scheduler.disable();
    await this.consumers.stopMain();
    await this.consumers.startFollower(await this.offsets.committedOffsets());
  }

  /** Versions the last load read, and how many of them a newer version of their record supersedes. */
  private loadedVersions = 0;
  private superseded = 0;

  /** Reads the lake store; with `intoEngine`, applies it to the engine too. */
  private async loadLake(intoEngine: boolean): Promise<void> {
    this.store.reset();
    const started = Date.now();
    let lastReport = started;
    let records = 0;
    let chunks = 0;
    for await (const chunk of this.lakeLog.chunks()) {
      const entries: LakeEntry[] = chunk.entries.map(([offset, hash, message]) => ({
        key: lakeKey(message.source, message.recordId),
        offset,
        hash,
        message,
      }));
      for (const e of entries) this.store.noteStored(e);
      if (intoEngine) {
        await this.lake.knowSourcesOf(entries);
        this.lake.apply(entries);
      }
      records += entries.length;
      chunks++;
      if (Date.now() - lastReport > 5000) {
        lastReport = Date.now();
        this.log.log(
          `loading the lake: ${records} stored versions from ${chunks} chunks (${Math.round(records / ((lastReport - started) / 1000))}/s)`,
        );
      }
    }
    this.loadedVersions = records;
    this.superseded = records - this.store.size;
    const seconds = (Date.now() - started) / 1000;
    this.log.log(
      `lake loaded: ${records} stored versions from ${chunks} chunks in ${seconds.toFixed(1)} s; ${this.lake.engine.recordCount} counted records`,
    );
  }

  /**
   * The publisher drops superseded versions from the lake store (retention, docs/security.md) when they
   * are more than a tenth of it; in the background, like every other chunk writer safe beside appends.
   */
  private async compactLake(term: number): Promise<void> {
    if (this.superseded === 0 || this.superseded * 10 < this.loadedVersions) return;
    try {
      const { before, after } = await this.lakeLog.compact();
      if (term === this.term) this.superseded = 0;
      this.log.log(`lake compacted: ${before} stored versions, ${after} kept (superseded versions dropped)`);
    } catch (e) {
      this.log.warn(`lake compaction failed (${(e as Error).name}); the next publisher term tries again`);
    }
  }

  /** Runs `step` until it succeeds while dependencies are down (logged), or the service stops. */
  private async retrying<T>(what: string, step: () => Promise<T>): Promise<T> {
    for (let wait = 1000; ; wait = Math.min(wait * 2, 30_000)) {
      try {
        return await step();
      } catch (e) {
        if (this.stopping || !isDependencyFailure(e)) throw e;
        this.log.warn(`cannot ${what} yet (${(e as Error).name}); retrying in ${wait} ms`);
        await sleep(wait);
      }
    }
  }
}
