import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { DependencyUnavailableError, describeError } from '@sozialmonitor/messaging';
import { Clock, singletonMetric } from '@sozialmonitor/platform';
import { Gauge } from 'prom-client';
import { type ChangedValueKey, invalidationsFor } from '../domain/cache-plan';
import { countyCalendar } from '../domain/calendar';
import { LogCursor } from '../domain/log-cursor';
import { PublishedValues, type StateChange } from '../domain/published-values';
import { type HistoryEntry, historyEntryOf, statesOf, type ValueState } from '../domain/value-history';
import { PublicationEnvironment } from '../publication.environment';
import { AnswerCache } from './ports/answer-cache';
import { PublicationLog } from './ports/publication-log.store';
import { ReadEpoch } from './read-epoch';

/** Log documents looked up per poll at most (a long catch-up takes several polls). */
const POLL_LIMIT = 200;
/** How long a taken but unwritten log number is looked for before it counts as abandoned. */
const GAP_TIMEOUT_MS = 10 * 60_000;
const LOAD_RETRY_MS = 2000;
/** `asOf` answers kept (per set of values and instant): they change only if a publication from before it arrives. */
const AS_OF_CACHE = 500;

const readModelSize = singletonMetric(
  'sozialmonitor_publication_read_model_size',
  () =>
    new Gauge({
      name: 'sozialmonitor_publication_read_model_size',
      help: 'What the read model of this instance holds in memory: values (current states) and publications (one per value, its latest)',
      labelNames: ['kind'],
    }),
);

/**
 * The read model of this instance: the current state of every value in memory (`PublishedValues`), every
 * publication durable in the publication log and in the values' histories (read for `asOf`). At start it
 * builds the states from the log; then it adds what this instance consumes (log and histories first,
 * memory second, so nothing the API showed can be lost) and, every PUBLICATION_LOG_POLL_MS, what the
 * other instances of the deployment wrote. Whatever it adds, it retires the affected cache entries —
 * also for other instances' writes, so that an answer this instance computed from its older state
 * before it caught up cannot stay in the shared cache.
 */
@Injectable()
export class ReadModel implements OnModuleInit, OnApplicationShutdown {
  private readonly log = new Logger('ReadModel');
  private readonly published: PublishedValues;
  private readonly countyDay;
  /** `asOf` answers by instant and values (in insertion order: the oldest goes first). */
  private readonly asOfAnswers = new Map<string, { asOf: string; states: ValueState[] }>();
  private readonly cursor = new LogCursor(GAP_TIMEOUT_MS);
  private loaded = false;
  private loading?: Promise<void>;
  private timer?: NodeJS.Timeout;
  private polling?: Promise<void>;
  private pollFailing = false;
  private stopped = false;
  /** Log documents whose publications are not in the histories yet, in the order they came. */
  private readonly pending = new Map<number, HistoryEntry[]>();
  private pendingEntries = 0;
  private writing?: Promise<void>;

  constructor(
    private readonly store: PublicationLog,
    private readonly cache: AnswerCache,
    private readonly epoch: ReadEpoch,
    private readonly env: PublicationEnvironment,
    clock: Clock,
  ) {
    this.countyDay = countyCalendar(clock.timeZone);
    this.published = new PublishedValues(this.countyDay);
  }

  /** Loads before the consumer and the API start; if MongoDB does not answer, keeps trying in the background. */
  async onModuleInit(): Promise<void> {
    this.loading = this.loadUntilDone();
    await Promise.race([this.loading, new Promise((r) => setTimeout(r, 10_000).unref())]);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.polling; // never rejects: schedulePoll logs a failed poll
    await this.historiesWritten(); // the document being written; the rest is queued again at the next load
  }

  /** Whether the log is loaded (before that, every answer would be incomplete). */
  get isLoaded(): boolean {
    return this.loaded;
  }

  /**
   * How many values and publications are in memory: one publication per value, plus those of log
   * documents still on their way into the histories.
   */
  get size(): { values: number; entries: number } {
    const { values, entries } = this.published.size;
    return { values, entries: entries + this.pendingEntries };
  }

  /** Resolves when every publication this instance queued is in the histories (tests; shutdown). */
  async historiesWritten(): Promise<void> {
    while (this.writing) await this.writing;
  }

  /**
   * Adds this instance's consumed publications: the unknown ones go to the log, then into memory.
   * Returns the values whose state changed; retires the cache entries of every value in `entries`
   * (also the known ones: a batch that comes again after a crash between write and invalidation must
   * not leave a stale answer behind).
   */
  async record(entries: readonly HistoryEntry[]): Promise<StateChange[]> {
    this.assertLoaded();
    const fresh = await this.notInHistories(this.published.unknown(entries));
    if (fresh.length > 0) {
      const written = await this.store.append(fresh.map((e) => e.payload));
      this.cursor.wrote(written.map((d) => d.n));
      let offset = 0;
      for (const { n, payloads } of written) this.queueForHistories(n, fresh.slice(offset, (offset += payloads.length)));
    }
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

  /** Every publication of these values (the histories in MongoDB and those still on their way there). */
  async historyOf(keys: Iterable<string>): Promise<HistoryEntry[]> {
    this.assertLoaded();
    const wanted = new Set(keys);
    // taken before reading: an entry leaves `pending` only once it is in the histories
    const waiting = [...this.pending.values()].flatMap((entries) => entries.filter((e) => wanted.has(e.key)));
    const stored = (await this.store.historiesOf([...wanted])).map(historyEntryOf);
    return [...stored, ...waiting];
  }

  /** Whether memory has this publication of its value or a later one. */
  reached(entry: HistoryEntry): boolean {
    this.assertLoaded();
    return this.published.reached(entry);
  }

  /**
   * The states of these values as they were at `asOf` (normalized RFC 3339), read from their histories;
   * kept until a publication from before `asOf` arrives (for a past instant: never).
   */
  async statesAt(keys: readonly string[], asOf: string): Promise<ValueState[]> {
    this.assertLoaded();
    const at = new Date(asOf).toISOString();
    const id = `${at}|${[...keys].sort().join(',')}`;
    const kept = this.asOfAnswers.get(id);
    if (kept) return kept.states;
    const epoch = this.epoch.current;
    const states = statesOf(await this.historyOf(keys), this.countyDay, at);
    if (this.epoch.current === epoch) {
      this.asOfAnswers.set(id, { asOf: at, states });
      if (this.asOfAnswers.size > AS_OF_CACHE) this.asOfAnswers.delete(this.asOfAnswers.keys().next().value!);
    }
    return states;
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
    for (const { n, payloads, inHistories } of await this.store.read(lookUp)) {
      this.cursor.found(n);
      const entries = payloads.map(historyEntryOf);
      // its writer adds them; until they are there, `asOf` reads them from here
      if (!inHistories) this.queueForHistories(n, entries);
      if (this.published.apply(entries).length > 0) added.push(...entries);
    }
    if (added.length > 0) await this.retire(added);
  }

  /**
   * Adds a log document's publications to the histories in the background: one upsert per value costs
   * ~ms on FerretDB, too slow for the consumer's path (a first publication of 28,600 values would take
   * minutes instead of seconds). Until they are written, `historyOf` takes them from here.
   */
  private queueForHistories(n: number, entries: HistoryEntry[]): void {
    if (this.pending.has(n)) return;
    this.pending.set(n, entries);
    this.pendingEntries += entries.length;
    if (this.loaded) this.writeHistories();
  }

  private writeHistories(): void {
    if (this.writing || this.stopped || this.pending.size === 0) return;
    this.writing = (async () => {
      while (!this.stopped && this.pending.size > 0) {
        const [n, entries] = this.pending.entries().next().value!;
        try {
          // another instance (its writer) may have done it meanwhile
          if (!(await this.store.inHistories(n))) await this.store.addToHistories(n, entries.map((e) => e.payload));
          this.pending.delete(n);
          this.pendingEntries -= entries.length;
        } catch (e) {
          this.log.warn(
            `adding log document ${n} to the values' histories failed, retrying in ${LOAD_RETRY_MS} ms: ${describeError(e)}`,
          );
          await new Promise((r) => setTimeout(r, LOAD_RETRY_MS));
        }
      }
    })().finally(() => {
      this.writing = undefined;
      this.writeHistories(); // queued while the loop was ending
    });
  }

  /**
   * Of entries memory does not know, those the histories do not have either: memory holds only the
   * latest publication of each value, so an earlier one (a replay of the topic) is looked up there.
   */
  private async notInHistories(entries: HistoryEntry[]): Promise<HistoryEntry[]> {
    const earlier = entries.filter((e) => this.published.reached(e));
    if (earlier.length === 0) return entries;
    const known = new Set((await this.historyOf(new Set(earlier.map((e) => e.key)))).map((e) => e.id));
    return entries.filter((e) => !known.has(e.id));
  }

  private async retire(values: readonly (ChangedValueKey & Pick<HistoryEntry, 'publishedAt'>)[]): Promise<void> {
    if (values.length === 0) return;
    const since = values.reduce((min, v) => (v.publishedAt < min ? v.publishedAt : min), values[0].publishedAt);
    for (const [id, { asOf }] of this.asOfAnswers) if (asOf >= since) this.asOfAnswers.delete(id);
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
    for await (const { n, payloads, inHistories } of this.store.all()) {
      const entries = payloads.map(historyEntryOf);
      if (!inHistories) this.queueForHistories(n, entries);
      this.published.apply(entries);
      found.push(n);
    }
    if (this.pending.size > 0)
      this.log.log(`${this.pending.size} log documents are not in the values' histories yet: adding them (older data, or a writer stopped)`);
    this.cursor.start(head, found, Date.now());
    this.loaded = true;
    this.writeHistories();
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
