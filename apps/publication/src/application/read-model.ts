import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { kpiValueKey, type KpiValuePayload, publishedContentHash } from '@sozialmonitor/contracts';
import { DependencyUnavailableError, describeError } from '@sozialmonitor/messaging';
import { Clock, singletonMetric } from '@sozialmonitor/platform';
import { Counter, Gauge } from 'prom-client';
import { type ChangedValueKey, invalidationsFor } from '../domain/cache-plan';
import { LogCursor } from '../domain/log-cursor';
import { countyCalendar } from '../domain/calendar';
import { type LoggedEntries, type PayloadToRead, PublishedValues, type StateChange } from '../domain/published-values';
import {
  entryId,
  fingerprint,
  type HistoryEntry,
  historyEntryOf,
  type Mark,
  stateOf,
  type ValueState,
} from '../domain/value-history';
import { PublicationEnvironment } from '../publication.environment';
import { AnswerCache } from './ports/answer-cache';
import { PublicationLog } from './ports/publication-log.store';
import { ReadEpoch } from './read-epoch';

/** Log documents looked up per poll at most (a long catch-up takes several polls). */
const POLL_LIMIT = 200;
/** How long a taken but unwritten log number is looked for before it counts as abandoned. */
const GAP_TIMEOUT_MS = 10 * 60_000;
const LOAD_RETRY_MS = 2000;
/**
 * `asOf` answers kept (every value at one instant each): a download or a report asks the same instant
 * once per indicator, and an answer changes only if a publication from before its instant arrives.
 */
const AS_OF_ANSWERS = 4;

const readModelSize = singletonMetric(
  'sozialmonitor_publication_read_model_size',
  () =>
    new Gauge({
      name: 'sozialmonitor_publication_read_model_size',
      help: 'What the read model of this instance holds in memory: values (current states, with payload) and publications (marks, without)',
      labelNames: ['kind'],
    }),
);

/** Named so the read-model benchmark counts what an `asOf` read back rather than inferring it. */
export const AS_OF_PAYLOADS_READ = 'sozialmonitor_publication_as_of_payloads_read_total';
const asOfPayloadsRead = singletonMetric(
  AS_OF_PAYLOADS_READ,
  () =>
    new Counter({
      name: AS_OF_PAYLOADS_READ,
      help: 'Payloads an asOf read back from the publication log (values published again since the instant asked; memory keeps only their marks)',
    }),
);

/**
 * The read model of this instance: every publication durable in the publication log, and in memory
 * (`PublishedValues`) each value's current state with its payload and a payload-less mark per earlier
 * publication; an `asOf` that needs an earlier payload reads it from the log document its mark names.
 * At start it loads the log; then it adds what this instance consumes (log first, memory second, so
 * nothing the API showed can be lost) and, every PUBLICATION_LOG_POLL_MS, what the other instances of
 * the deployment wrote. Whatever it adds, it retires the affected cache entries — also for other
 * instances' writes, so that an answer this instance computed from its older state before it caught up
 * cannot stay in the shared cache.
 */
@Injectable()
export class ReadModel implements OnModuleInit, OnApplicationShutdown {
  private readonly log = new Logger('ReadModel');
  private readonly published: PublishedValues;
  /** `asOf` answers by instant (in insertion order: the oldest goes first). */
  private readonly asOfAnswers = new Map<string, Promise<Map<string, ValueState>>>();
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
    clock: Clock,
  ) {
    this.published = new PublishedValues(countyCalendar(clock.timeZone));
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
  }

  /** Whether the log is loaded (before that, every answer would be incomplete). */
  get isLoaded(): boolean {
    return this.loaded;
  }

  /** How many values and publications memory knows. */
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
    const logged: LoggedEntries[] = [];
    if (fresh.length > 0) {
      let offset = 0;
      for (const { n, count } of await this.store.append(fresh.map((e) => e.payload)))
        logged.push({ n, entries: fresh.slice(offset, (offset += count)) });
      this.cursor.wrote(logged.map((l) => l.n));
    }
    const changes = this.published.apply(logged);
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

  /** Whether memory knows this publication. */
  has(entry: HistoryEntry): boolean {
    this.assertLoaded();
    return this.published.has(entry);
  }

  /** The publication of a value before `at` (what a webhook threshold compares with). */
  before(key: string, at: string): Mark | undefined {
    this.assertLoaded();
    return this.published.before(key, at);
  }

  /** The states of these values as they were published at `asOf` (RFC 3339). */
  async statesAt(keys: Iterable<string>, asOf: string): Promise<ValueState[]> {
    this.assertLoaded();
    const all = await this.everyStateAt(new Date(asOf).toISOString());
    const out: ValueState[] = [];
    for (const key of keys) {
      const s = all.get(key);
      if (s) out.push(s);
    }
    return out;
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
      if (this.published.apply([{ n, entries }]).length > 0) added.push(...entries);
    }
    if (added.length > 0) await this.retire(added);
  }

  /**
   * Every value as published at `at`, one pass for all of them: the states whose payload memory holds,
   * and one streamed read of the log documents holding the others. Kept (AS_OF_ANSWERS) until a
   * publication from before `at` arrives (for a past instant: only a replay or another instance's late
   * write); the states are taken when asked, so an answer is never older than its question.
   */
  private everyStateAt(at: string): Promise<Map<string, ValueState>> {
    const kept = this.asOfAnswers.get(at);
    if (kept) return kept;
    const { ready, toRead } = this.published.statesAt(this.published.keys(), at);
    const answer = this.payloadsOf(toRead).then((read) => new Map([...ready, ...read].map((s) => [s.key, s])));
    this.asOfAnswers.set(at, answer);
    if (this.asOfAnswers.size > AS_OF_ANSWERS) this.asOfAnswers.delete(this.asOfAnswers.keys().next().value!);
    answer.catch(() => {
      if (this.asOfAnswers.get(at) === answer) this.asOfAnswers.delete(at);
    });
    return answer;
  }

  /** The states whose payloads memory no longer holds, from the log documents their marks name. */
  private async payloadsOf(toRead: readonly PayloadToRead[]): Promise<ValueState[]> {
    if (toRead.length === 0) return [];
    const wanted = new Map(toRead.map((r) => [`${r.key}\u0000${r.standing.mark.at}`, r]));
    const out: ValueState[] = [];
    const take = (payload: KpiValuePayload) => {
      const key = kpiValueKey(payload);
      const r = wanted.get(`${key}\u0000${payload.computedAt}`);
      if (!r) return; // most payloads of a document: checked before hashing
      const content = publishedContentHash(payload);
      if (fingerprint(content) !== r.standing.mark.content) return;
      wanted.delete(`${key}\u0000${payload.computedAt}`);
      out.push(stateOf(key, r.standing, payload, entryId(key, payload.computedAt, content)));
    };
    for await (const { payloads } of this.store.some([...new Set(toRead.map((r) => r.standing.mark.n))]))
      for (const payload of payloads) take(payload);
    if (wanted.size > 0)
      throw new Error(
        `the publication log lacks ${wanted.size} publication(s) memory has marks of (e.g. in document ${[...wanted.values()][0].standing.mark.n}): was the log collection changed by hand?`,
      );
    asOfPayloadsRead.inc(out.length);
    return out;
  }

  private async retire(values: readonly (ChangedValueKey & Pick<HistoryEntry, 'publishedAt'>)[]): Promise<void> {
    if (values.length === 0) return;
    const since = values.reduce((min, v) => (v.publishedAt < min ? v.publishedAt : min), values[0].publishedAt);
    for (const at of [...this.asOfAnswers.keys()]) if (at >= since) this.asOfAnswers.delete(at);
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
      this.published.apply([{ n, entries: payloads.map(historyEntryOf) }]);
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
