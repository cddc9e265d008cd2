import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { DependencyUnavailableError, describeError } from '@sozialmonitor/messaging';
import { singletonMetric } from '@sozialmonitor/platform';
import { Gauge } from 'prom-client';
import { type ChangedValueKey, invalidationsFor } from '../domain/cache-plan';
import { LogCursor } from '../domain/log-cursor';
import { PublishedValues, type StateChange } from '../domain/published-values';
import { type HistoryEntry, historyEntryOf, type ValueState } from '../domain/value-history';
import { PublicationEnvironment } from '../publication.environment';
import { AnswerCache } from './ports/answer-cache';
import { PublicationLog } from './ports/publication-log.store';
import { ReadEpoch } from './read-epoch';

/** Log documents looked up per poll at most (a long catch-up takes several polls). */
const POLL_LIMIT = 200;
/** How long a taken but unwritten log number is looked for before it counts as abandoned. */
const GAP_TIMEOUT_MS = 10 * 60_000;
const LOAD_RETRY_MS = 2000;

const readModelSize = singletonMetric(
  'sozialmonitor_publication_read_model_size',
  () =>
    new Gauge({
      name: 'sozialmonitor_publication_read_model_size',
      help: 'What the read model of this instance holds: values (current states) and publications (history entries)',
      labelNames: ['kind'],
    }),
);

/**
 * The read model of this instance: every publication in memory (`PublishedValues`), durable in the
 * publication log. At start it loads the log; then it adds what this instance consumes (log first,
 * memory second, so nothing the API showed can be lost) and, every PUBLICATION_LOG_POLL_MS, what the
 * other instances of the deployment wrote. Whatever it adds, it retires the affected cache entries —
 * also for other instances' writes, so that an answer this instance computed from its older state
 * before it caught up cannot stay in the shared cache.
 */
@Injectable()
export class ReadModel implements OnModuleInit, OnApplicationShutdown {
  private readonly log = new Logger('ReadModel');
  private readonly published = new PublishedValues();
  private readonly cursor = new LogCursor(GAP_TIMEOUT_MS);
  private loaded = false;
  private loading?: Promise<void>;
  private timer?: NodeJS.Timeout;
  private polling?: Promise<void>;
  private pollFailing = false;
  private stopped = false;

  constructor(
    private readonly store: PublicationLog,
    private readonly cache: AnswerCache,
    private readonly epoch: ReadEpoch,
    private readonly env: PublicationEnvironment,
  ) {}

  /** Loads before the consumer and the API start; if MongoDB does not answer, keeps trying in the background. */
  async onModuleInit(): Promise<void> {
    this.loading = this.loadUntilDone();
    await Promise.race([this.loading, new Promise((r) => setTimeout(r, 10_000).unref())]);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.polling; // never rejects: schedulePoll logs a failed poll
  }

  /** Whether the log is loaded (before that, every answer would be incomplete). */
  get isLoaded(): boolean {
    return this.loaded;
  }

  /** How many values and publications are in memory. */
  get size(): { values: number; entries: number } {
    return this.published.size;
  }

  /**
   * Adds this instance's consumed publications: the unknown ones go to the log, then into memory.
   * Returns the values whose state changed; retires the cache entries of every value in `entries`
   * (also the known ones: a batch that comes again after a crash between write and invalidation must
   * not leave a stale answer behind).
   */
  async record(entries: readonly HistoryEntry[]): Promise<StateChange[]> {
    this.assertLoaded();
    const fresh = this.published.unknown(entries);
    if (fresh.length > 0) this.cursor.wrote(await this.store.append(fresh.map((e) => e.payload)));
    const changes = this.published.apply(fresh);
    await this.retire(entries);
    return changes;
  }

  slice(indicatorId: string, period: string): ValueState[] {
    this.assertLoaded();
    return this.published.slice(indicatorId, period);
  }

  profile(regionCode: string, period: string): ValueState[] {
    this.assertLoaded();
    return this.published.profile(regionCode, period);
  }

  historyOf(keys: Iterable<string>): HistoryEntry[] {
    this.assertLoaded();
    return this.published.historyOf(keys);
  }

  statesOf(keys: Iterable<string>): ValueState[] {
    this.assertLoaded();
    return this.published.statesOf(keys);
  }

  /** Reads what other instances wrote since the last poll (tests call it to skip the wait). */
  async catchUp(): Promise<void> {
    const head = await this.store.head();
    const { lookUp, abandoned } = this.cursor.plan(head, Date.now(), POLL_LIMIT);
    if (abandoned.length > 0)
      this.log.warn(
        `publication log numbers ${abandoned.join(', ')} were taken but never written (a writer stopped; its batch was consumed again): no longer looked for`,
      );
    const added: HistoryEntry[] = [];
    for (const { n, payloads } of await this.store.read(lookUp)) {
      this.cursor.found(n);
      const entries = payloads.map(historyEntryOf);
      if (this.published.apply(entries).length > 0) added.push(...entries);
    }
    if (added.length > 0) await this.retire(added);
  }

  private async retire(values: readonly ChangedValueKey[]): Promise<void> {
    if (values.length === 0) return;
    this.reportSize();
    this.epoch.advance();
    await this.cache.invalidate(invalidationsFor(values));
  }

  private reportSize(): { values: number; entries: number } {
    const size = this.published.size;
    readModelSize.set({ kind: 'values' }, size.values);
    readModelSize.set({ kind: 'publications' }, size.entries);
    return size;
  }

  private assertLoaded(): void {
    if (!this.loaded) throw new DependencyUnavailableError('the read model is still loading the publication log');
  }

  private async loadUntilDone(): Promise<void> {
    while (!this.stopped) {
      try {
        await this.load();
        this.schedulePoll();
        return;
      } catch (e) {
        this.log.warn(`loading the publication log failed, retrying in ${LOAD_RETRY_MS} ms: ${describeError(e)}`);
        await new Promise((r) => setTimeout(r, LOAD_RETRY_MS));
      }
    }
  }

  private async load(): Promise<void> {
    const started = Date.now();
    const head = await this.store.head();
    const found: number[] = [];
    for await (const { n, payloads } of this.store.all()) {
      this.published.apply(payloads.map(historyEntryOf));
      found.push(n);
    }
    this.cursor.start(head, found, Date.now());
    this.loaded = true;
    const { values, entries } = this.reportSize();
    this.log.log(
      `read model loaded: ${values} values, ${entries} publications from ${found.length} log documents in ${Date.now() - started} ms`,
    );
  }

  private schedulePoll(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.polling = this.catchUp()
        .then(() => {
          if (this.pollFailing) this.log.log('reading the publication log works again');
          this.pollFailing = false;
        })
        .catch((e) => {
          if (!this.pollFailing) this.log.warn(`reading the publication log failed: ${describeError(e)}`);
          this.pollFailing = true;
        })
        .finally(() => this.schedulePoll());
    }, this.env.PUBLICATION_LOG_POLL_MS);
    this.timer.unref();
  }
}
