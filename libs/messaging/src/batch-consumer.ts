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
  /** Group session timeout; the consumer heartbeats every 3 s, also while the handler works. */
  sessionTimeoutMs?: number;
  /** First backoff between attempts; doubles up to maxBackoffMs. */
  retryBackoffMs?: number;
  maxBackoffMs?: number;
  log?: (level: 'info' | 'warn' | 'error', message: string, extra?: Record<string, unknown>) => void;
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

/** The batch consumers of this process by group id, so that a replay can pause and resume them. */
const byGroup = new Map<string, BatchConsumer>();
export const consumerOfGroup = (groupId: string): BatchConsumer | undefined => byGroup.get(groupId);
/** The batch consumers of this process that run now (for the broker-side lag metric). */
export const runningConsumers = (): BatchConsumer[] => [...byGroup.values()].filter((c) => c.running);

/**
 * A Kafka consumer that processes batches and commits explicitly, only after the handler's effects are
 * durable. A batch that fails is retried message by message; a message that still fails after the
 * bounded retries goes to the dead-letter topic and the consumer moves on. A dependency failure is not
 * poison: the consumer keeps the batch, heartbeats, backs off and retries without committing.
 */
export class BatchConsumer {
  private consumer?: Consumer;
  private stopping = false;
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
  }

  get groupId(): string {
    return this.options.groupId;
  }

  /** The client this consumer reads with (the lag metric asks the broker through it). */
  get client(): Kafka {
    return this.kafka;
  }

  get topics(): readonly string[] {
    return this.options.topics;
  }

  get running(): boolean {
    return this.consumer !== undefined;
  }

  /** Joins the group and consumes; a no-op while running (a replay may resume it twice). */
  async start(): Promise<void> {
    if (this.consumer) return;
    this.stopping = false;
    byGroup.set(this.options.groupId, this);
    // Series at 0 from the start, so that the first dead letter is an increase Prometheus can see.
    for (const topic of this.options.topics) {
      processed.inc({ topic, group: this.options.groupId }, 0);
      failed.inc({ topic, group: this.options.groupId }, 0);
    }
    const consumer = this.kafka.consumer({
      groupId: this.options.groupId,
      allowAutoTopicCreation: false,
      sessionTimeout: this.options.sessionTimeoutMs ?? 30_000,
      heartbeatInterval: 3_000,
      maxBytesPerPartition: 2 * 1024 * 1024,
      // Leaving the group waits for the fetch in flight: kafkajs' 5 s made an idle service with three
      // consumers need ~10 s to stop (its forced exit); 1 s costs an idle consumer one fetch a second.
      maxWaitTimeInMs: 1000,
    });
    this.consumer = consumer;
    await consumer.connect();
    await consumer.subscribe({ topics: this.options.topics, fromBeginning: this.options.fromBeginning ?? false });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: 1,
      eachBatch: (payload) => this.processBatch(payload, consumer),
    });
  }

  /** Graceful stop: the batch in hand finishes and is committed, then the group is left. */
  async stop(): Promise<void> {
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
    const ticker = setInterval(() => void heartbeat().catch(() => undefined), 3000);
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
        await heartbeat().catch(() => undefined);
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
        await heartbeat().catch(() => undefined);
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
