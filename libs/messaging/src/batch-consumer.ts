import type { Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import { Counter, Gauge, Histogram, register } from 'prom-client';
import { decodeCloudEvent } from './cloud-event-codec';
import type { ConsumedEvent } from './cloud-event';
import { deadLetterOf } from './dead-letter';
import { describeError, isDependencyFailure } from './dependency-failure';
import type { EventPublisher } from './event-publisher';

export interface BatchContext {
  /** Keeps the group membership alive during long work; call it every few seconds. */
  heartbeat(): Promise<void>;
}

/**
 * Processes a batch of one partition. It must make its effects durable before it resolves and must be
 * idempotent: after a crash or a rebalance the same messages come again.
 */
export type BatchHandler = (events: ConsumedEvent[], context: BatchContext) => Promise<void>;

export interface BatchConsumerOptions {
  service: string;
  groupId: string;
  topics: string[];
  handler: BatchHandler;
  /** For a new consumer group only; an existing group continues from its committed offsets. */
  fromBeginning?: boolean;
  /** Attempts of a failing message beyond the first before it is dead-lettered. */
  maxRetries?: number;
  /**
   * Most messages handed to the handler at once; a larger fetched batch is processed and committed
   * in chunks of this size, so that one handler call stays short.
   */
  maxBatchSize?: number;
  /** Group session timeout; the consumer heartbeats every 3 s (a third of it if shorter), also while the handler works. */
  sessionTimeoutMs?: number;
  /** First backoff between attempts; doubles up to maxBackoffMs. */
  retryBackoffMs?: number;
  maxBackoffMs?: number;
  log?: (level: 'info' | 'warn' | 'error', message: string, extra?: Record<string, unknown>) => void;
  /**
   * A listener of this instance alone (a group of its own that starts at the topic end, e.g. replay
   * notices): it has no backlog an operator must watch, and until its first message it has no committed
   * offset, which the broker-side lag would count as the whole topic — so it stays out of that metric.
   */
  perInstance?: boolean;
  /** Told of every fetched batch and of the assignment (kafkajs instrumentation), e.g. for a lag of one's own. */
  progress?: BatchProgress;
}

/**
 * Positions the handler does not see: a batch's high watermark before it is handled, its last offset
 * after it (dead-lettered messages included), and the partitions this member holds after each join.
 */
export interface BatchProgress {
  fetched(partition: number, highWatermark: number, firstOffset: number): void;
  processed(partition: number, lastOffset: number): void;
  assigned(assignment: Readonly<Record<string, number[]>>): void;
}

const metric = <T>(name: string, make: () => T): T => (register.getSingleMetric(name) as T) ?? make();
const processed = metric(
  'sozialmonitor_messages_processed_total',
  () => new Counter({ name: 'sozialmonitor_messages_processed_total', help: 'Messages processed', labelNames: ['topic', 'group'] }),
);
const failed = metric(
  'sozialmonitor_messages_failed_total',
  () => new Counter({ name: 'sozialmonitor_messages_failed_total', help: 'Messages sent to the dead-letter topic', labelNames: ['topic', 'group'] }),
);
const lag = metric(
  'sozialmonitor_consumer_lag',
  () => new Gauge({ name: 'sozialmonitor_consumer_lag', help: 'Messages behind the partition end, seen at the last batch', labelNames: ['topic', 'partition', 'group'] }),
);
const batchSeconds = metric(
  'sozialmonitor_batch_processing_seconds',
  () => new Histogram({ name: 'sozialmonitor_batch_processing_seconds', help: 'Time to process one batch', labelNames: ['topic', 'group'], buckets: [0.005, 0.02, 0.1, 0.5, 1, 2, 5, 15, 60] }),
);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The batch consumers of this process by group id that are running or paused for a replay (a stopped
 * consumer leaves: an instance that stopped its consumer, e.g. kpi-calculation after losing the lease,
 * must not be restarted by a replay notice and take partitions from the group's real members).
 */
const byGroup = new Map<string, BatchConsumer>();
export const consumerOfGroup = (groupId: string): BatchConsumer | undefined => byGroup.get(groupId);
/** The batch consumers of this process that run now (for the broker-side lag metric). */
export const runningConsumers = (): BatchConsumer[] => [...byGroup.values()].filter((c) => c.running);
/** The running consumers of groups whose backlog matters (per-instance listeners left out). */
export const runningGroupConsumers = (): BatchConsumer[] => runningConsumers().filter((c) => !c.perInstance);
/** Every registered consumer of this process (readiness: each must be consuming unless paused). */
export const registeredConsumers = (): BatchConsumer[] => [...byGroup.values()];

/**
 * A Kafka consumer that processes batches and commits explicitly, only after the handler's effects are
 * durable. A batch that fails is retried message by message; a message that still fails after the
 * bounded retries goes to the dead-letter topic and the consumer moves on. A dependency failure is not
 * poison: the consumer keeps the batch, heartbeats, backs off and retries without committing.
 */
export class BatchConsumer {
  /** Set only once connected, subscribed and running: a failed start leaves it unset, so start() tries again. */
  private consumer?: Consumer;
  private starting?: Promise<void>;
  /** When the join in `starting` began (readiness gives a rejoin after a replay a session timeout). */
  private joiningSince?: number;
  /** Whether it ever joined and consumed: only then is a rejoin given that grace. */
  private joinedOnce = false;
  private stopping = false;
  /** What the owner asked for: consuming, paused by a replay (still registered), or stopped for good. */
  private wanted: 'running' | 'paused' | 'stopped' = 'stopped';
  private restartTimer?: NodeJS.Timeout;
  private restartWait: number;
  /** Why the consumer is not consuming although it should (a crash kafkajs does not restart from). */
  private failure?: string;
  private readonly maxRetries: number;
  private readonly backoff: number;
  private readonly maxBackoff: number;

  constructor(
    private readonly kafka: Kafka,
    private readonly deadLetters: EventPublisher,
    private readonly options: BatchConsumerOptions,
  ) {
    this.maxRetries = options.maxRetries ?? 3;
    this.backoff = options.retryBackoffMs ?? 200;
    this.maxBackoff = options.maxBackoffMs ?? 10_000;
    this.restartWait = this.backoff;
  }

  private get sessionTimeoutMs(): number {
    return this.options.sessionTimeoutMs ?? 30_000;
  }

  /** Every 3 s, and at least three heartbeats per session timeout (Kafka's own advice). */
  private get heartbeatMs(): number {
    return Math.min(3_000, Math.floor(this.sessionTimeoutMs / 3));
  }

  get groupId(): string {
    return this.options.groupId;
  }

  /** The client this consumer reads with (the lag metric asks the broker through it). */
  get client(): Kafka {
    return this.kafka;
  }

  get perInstance(): boolean {
    return this.options.perInstance === true;
  }

  get topics(): readonly string[] {
    return this.options.topics;
  }

  get running(): boolean {
    return this.consumer !== undefined;
  }

  /**
   * Consuming, or paused by a replay, or stopped on purpose, or rejoining its group after a replay for
   * less than a session timeout: false when it should consume and does not. The grace is for a consumer
   * that consumed before and has not failed: a join may wait for the group's rebalance, and readiness
   * answering 503 meanwhile on every instance would take the whole service out of its load balancer for
   * an admin's replay (the conformance test, which starts replays, hit exactly that window).
   */
  get healthy(): boolean {
    if (this.wanted !== 'running' || this.consumer !== undefined) return true;
    return (
      this.joinedOnce &&
      this.failure === undefined &&
      this.joiningSince !== undefined &&
      Date.now() - this.joiningSince < this.sessionTimeoutMs
    );
  }

  /** Why it is not healthy (for readiness), undefined when it is. */
  get problem(): string | undefined {
    if (this.healthy) return undefined;
    return this.failure ?? (this.starting ? 'joining the consumer group' : 'not consuming');
  }

  /**
   * Joins the group and consumes; a no-op while running (a replay may resume it twice). A start that
   * fails (Kafka unreachable) rejects and leaves the consumer not running (readiness says so); it tries
   * again with a backoff until it runs or is stopped, and a later start() tries at once.
   */
  async start(): Promise<void> {
    this.wanted = 'running';
    byGroup.set(this.options.groupId, this);
    // Series at 0 from the start, so that the first dead letter is an increase Prometheus can see.
    for (const topic of this.options.topics) {
      processed.inc({ topic, group: this.options.groupId }, 0);
      failed.inc({ topic, group: this.options.groupId }, 0);
    }
    try {
      await this.connect();
    } catch (error) {
      // The caller learns of it; meanwhile the consumer keeps trying until it runs or is stopped.
      if (this.wanted === 'running') this.scheduleRestart();
      throw error;
    }
  }

  /** Pauses for a replay: leaves the group (after the batch in hand) but stays registered for resume(). */
  async pause(): Promise<void> {
    if (this.wanted === 'stopped') return;
    this.wanted = 'paused';
    await this.disconnect();
  }

  /** Resumes after a replay; does nothing when the consumer was stopped meanwhile. */
  async resume(): Promise<void> {
    if (this.wanted !== 'paused') return;
    await this.start();
  }

  /** Graceful stop: the batch in hand finishes and is committed, then the group is left. */
  async stop(): Promise<void> {
    this.wanted = 'stopped';
    if (byGroup.get(this.options.groupId) === this) byGroup.delete(this.options.groupId);
    await this.disconnect();
  }

  private async connect(): Promise<void> {
    clearTimeout(this.restartTimer);
    if (this.consumer) return;
    if (this.starting) return this.starting;
    this.joiningSince = Date.now();
    this.starting = this.join().finally(() => {
      this.starting = undefined;
      this.joiningSince = undefined;
    });
    return this.starting;
  }

  private async join(): Promise<void> {
    this.stopping = false;
    const consumer = this.kafka.consumer({
      groupId: this.options.groupId,
      allowAutoTopicCreation: false,
      sessionTimeout: this.sessionTimeoutMs,
      heartbeatInterval: this.heartbeatMs,
      maxBytesPerPartition: 2 * 1024 * 1024,
      // Leaving the group waits for the fetch in flight: kafkajs' 5 s made an idle service with three
      // consumers need ~10 s to stop (its forced exit); 1 s costs an idle consumer one fetch a second.
      maxWaitTimeInMs: 1000,
    });
    // kafkajs restarts a consumer after a retriable error by itself; after any other it gives up
    // (restart: false) and the consumer is dead: start again with a backoff instead of idling silently.
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (payload.restart) return;
      this.onCrash(consumer, payload.error);
    });
    this.reportProgress(consumer);
    try {
      await consumer.connect();
      await consumer.subscribe({ topics: this.options.topics, fromBeginning: this.options.fromBeginning ?? false });
      await consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: 1,
        eachBatch: (payload) => this.processBatch(payload, consumer),
      });
    } catch (error) {
      this.failure = `start failed: ${describeError(error)}`;
      await consumer.disconnect().catch(() => undefined); // the start's own error is the one to report
      throw error;
    }
    if (this.wanted !== 'running') {
      // stopped or paused while joining (a failing disconnect leaves the group at its session timeout)
      await consumer.disconnect().catch(() => undefined);
      return;
    }
    this.consumer = consumer;
    this.joinedOnce = true;
    this.failure = undefined;
    this.restartWait = this.backoff;
  }

  private reportProgress(consumer: Consumer): void {
    const progress = this.options.progress;
    if (!progress) return;
    const { START_BATCH_PROCESS, END_BATCH_PROCESS, GROUP_JOIN } = consumer.events;
    consumer.on(START_BATCH_PROCESS, ({ payload: b }) =>
      progress.fetched(b.partition, Number(b.highWatermark), Number(b.firstOffset)),
    );
    consumer.on(END_BATCH_PROCESS, ({ payload: b }) => progress.processed(b.partition, Number(b.lastOffset)));
    consumer.on(GROUP_JOIN, ({ payload }) => progress.assigned(payload.memberAssignment));
  }

  private onCrash(consumer: Consumer, error: Error): void {
    if (this.consumer !== consumer) return;
    this.consumer = undefined;
    this.failure = `crashed: ${describeError(error)}`;
    if (this.wanted !== 'running') return;
    this.log('error', 'consumer crashed; starting it again', { groupId: this.options.groupId, error: describeError(error), retryInMs: this.restartWait });
    this.scheduleRestart();
  }

  private scheduleRestart(): void {
    clearTimeout(this.restartTimer);
    this.restartTimer = setTimeout(() => {
      if (this.wanted !== 'running') return;
      this.connect().catch((e) => {
        this.log('warn', 'consumer restart failed; trying again', { groupId: this.options.groupId, error: describeError(e) });
        this.restartWait = Math.min(this.restartWait * 2, this.maxBackoff);
        this.scheduleRestart();
      });
    }, this.restartWait);
    this.restartTimer.unref?.();
  }

  private async disconnect(): Promise<void> {
    clearTimeout(this.restartTimer);
    await this.starting?.catch(() => undefined); // a failed start is recorded in `failure` and retried by the restart timer
    const consumer = this.consumer;
    if (!consumer) return;
    this.stopping = true;
    this.consumer = undefined;
    await consumer.disconnect();
  }

  private log(level: 'info' | 'warn' | 'error', message: string, extra?: Record<string, unknown>) {
    (this.options.log ?? ((l, m, x) => process.stderr.write(JSON.stringify({ level: l, msg: m, ...x }) + '\n')))(level, message, extra);
  }

  private async processBatch(payload: EachBatchPayload, consumer: Consumer): Promise<void> {
    const { batch, heartbeat, isRunning, isStale } = payload;
    if (batch.messages.length === 0) return;
    const active = () => isRunning() && !isStale() && !this.stopping;
    // Heartbeat on a timer while the handler works: a handler that takes longer than the session
    // timeout would otherwise be thrown out of the group, its commit refused and its batch
    // redelivered forever.
    // A failed heartbeat means a rebalance is under way: the commit after the batch learns of it.
    // kafkajs sends a heartbeat only when heartbeatInterval has passed since the last one: a ticker at
    // that same interval skipped every other tick (timer jitter) and let gaps reach twice the interval,
    // the session timeout's edge; ticking at half of it keeps every gap within 1.5 intervals.
    const ticker = setInterval(() => void heartbeat().catch(() => undefined), this.heartbeatMs / 2);
    try {
      const size = this.options.maxBatchSize ?? 500;
      for (let i = 0; i < batch.messages.length && active(); i += size) {
        const chunk = batch.messages.slice(i, i + size).map((m) => decodeCloudEvent(batch.topic, batch.partition, m));
        const done = await this.processChunk(chunk, payload, consumer, active);
        if (!done) return;
      }
      lag.set({ topic: batch.topic, group: this.options.groupId, partition: String(batch.partition) }, Number(batch.offsetLag()));
    } finally {
      clearInterval(ticker);
    }
  }

  /** Processes one chunk and commits it; false when the consumer stops or loses the partition meanwhile. */
  private async processChunk(events: ConsumedEvent[], payload: EachBatchPayload, consumer: Consumer, active: () => boolean): Promise<boolean> {
    const { batch, heartbeat, resolveOffset } = payload;
    const labels = { topic: batch.topic, group: this.options.groupId };
    const stopTimer = batchSeconds.startTimer(labels);
    const context: BatchContext = { heartbeat };

    const done = await this.untilDependenciesAnswer(() => this.options.handler(events, context), heartbeat, active, labels);
    if (done === 'aborted') return false;
    if (done === 'failed') {
      // The batch as a whole failed on some message: find it by going message by message.
      for (const event of events) {
        const outcome = await this.processOne(event, context, heartbeat, active, labels);
        if (outcome === 'aborted') return false;
        resolveOffset(event.offset);
      }
    }
    const last = events[events.length - 1].offset;
    resolveOffset(last);
    await this.commit(consumer, batch.topic, batch.partition, last);
    processed.inc(labels, events.length);
    stopTimer();
    return true;
  }

  /** Runs fn; while it fails because a dependency is down, waits and tries again (no commit meanwhile). */
  private async untilDependenciesAnswer(
    fn: () => Promise<void>,
    heartbeat: () => Promise<void>,
    active: () => boolean,
    labels: { topic: string },
  ): Promise<'ok' | 'failed' | 'aborted'> {
    let wait = this.backoff;
    for (;;) {
      try {
        await fn();
        return 'ok';
      } catch (error) {
        if (!isDependencyFailure(error)) {
          this.lastError = error;
          return 'failed';
        }
        this.log('warn', 'dependency unavailable; pausing and retrying the batch without committing', {
          topic: labels.topic,
          error: describeError(error),
          retryInMs: wait,
        });
        if (!active()) return 'aborted';
        await sleep(wait);
        wait = Math.min(wait * 2, this.maxBackoff);
        if (!active()) return 'aborted';
        await heartbeat().catch(() => undefined); // see the ticker above
      }
    }
  }
  private lastError: unknown;

  private async processOne(
    event: ConsumedEvent,
    context: BatchContext,
    heartbeat: () => Promise<void>,
    active: () => boolean,
    labels: { topic: string; group: string },
  ): Promise<'ok' | 'dead-lettered' | 'aborted'> {
    for (let attempt = 0; attempt <= this.maxRetries; attempt++) {
      if (attempt > 0) {
        await sleep(Math.min(this.backoff * 2 ** (attempt - 1), this.maxBackoff));
        await heartbeat().catch(() => undefined); // see the ticker above
      }
      const outcome = await this.untilDependenciesAnswer(() => this.options.handler([event], context), heartbeat, active, labels);
      if (outcome !== 'failed') return outcome;
      if (!active()) return 'aborted';
    }
    this.log('error', 'message failed after retries; sent to the dead-letter topic', {
      topic: event.topic,
      partition: event.partition,
      offset: event.offset,
      ceId: event.id,
      error: describeError(this.lastError),
    });
    await this.untilDependenciesAnswer(
      () => this.deadLetters.publish([deadLetterOf(event, this.options.service, this.lastError)]),
      heartbeat,
      active,
      labels,
    );
    failed.inc(labels);
    return 'dead-lettered';
  }

  /** Commits on the consumer that read the batch: a graceful stop waits for this batch and its commit. */
  private async commit(consumer: Consumer, topic: string, partition: number, lastOffset: string): Promise<void> {
    const next = (BigInt(lastOffset) + 1n).toString();
    await consumer.commitOffsets([{ topic, partition, offset: next }]);
  }
}
