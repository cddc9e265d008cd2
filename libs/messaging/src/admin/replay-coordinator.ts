import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { EVENT_TYPES, TOPICS, ceSource } from '@sozialmonitor/contracts';
import type { Kafka } from 'kafkajs';
import { BatchConsumer, consumerOfGroup } from '../batch-consumer';
import { deterministicId, jsonOf, type ConsumedEvent } from '../cloud-event';
import type { EventPublisher } from '../event-publisher';
import { ConsumerGroupAdmin } from './consumer-group-admin';
import { parseReplayStart, replayProgress, type PartitionPosition, type ReplayStart } from './replay-plan';
import { readTopic } from './topic-reader';

export interface ReplayRequest {
  topic: string;
  from: unknown;
  dryRun?: boolean;
  /** Name of the admin token that asked (the audit's "who"). */
  requestedBy: string;
}

export interface ReplayNotice {
  replayId: string;
  service: string;
  groupId: string;
  topic: string;
  start: ReplayStart;
  positions: PartitionPosition[];
  requestedBy: string;
  requestedAt: string;
  finishedAt?: string;
  status?: 'finished' | 'failed';
  error?: string;
}

export interface ReplayStatus extends ReplayNotice {
  state: 'planned' | 'pausing' | 'replaying' | 'finished' | 'failed';
  progress: { done: number; total: number };
}

/** Replay statuses kept per instance for GET …/replays/{id}. */
const MAX_STATUSES = 1000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Replays a service's input from a point in time while the system runs (events.md "Replay"):
 * 1. announce `replay-requested` on the control topic — every instance of the service pauses its consumer
 *    (gracefully: the batch in hand is finished and committed);
 * 2. when the group is empty, set its offsets; announce `replay-started` — every instance resumes;
 * 3. watch the committed offsets until the group has caught up with the end seen at the start, then
 *    announce `replay-finished`. The control topic keeps the audit trail (who, when, what).
 * Consumers are idempotent, so the end state equals a clean run over the same input.
 */
export class ReplayCoordinator {
  private readonly groups: ConsumerGroupAdmin;
  private broadcast?: BatchConsumer;
  private readonly statuses = new Map<string, ReplayStatus>();

  constructor(
    private readonly kafka: Kafka,
    private readonly publisher: EventPublisher,
    private readonly service: string,
    private readonly groupId: string,
    private readonly log: (message: string) => void = () => undefined,
    /** The topics the service's group consumes: an instance whose own consumer is not running (a
     * kpi-calculation follower) can still be asked for a replay and coordinates it for the group. */
    private readonly topics: readonly string[] = [],
  ) {
    this.groups = new ConsumerGroupAdmin(kafka);
  }

  /** Listens to replay notices for this service's group (a group per instance: every instance hears all). */
  async start(): Promise<void> {
    this.broadcast = new BatchConsumer(this.kafka, this.publisher, {
      service: this.service,
      groupId: `${this.groupId}.control.${hostname()}.${process.pid}.${randomUUID().slice(0, 8)}`,
      topics: [TOPICS.control],
      fromBeginning: false,
      perInstance: true,
      handler: (events) => this.onControl(events),
    });
    await this.broadcast.start();
  }

  async stop(): Promise<void> {
    await this.broadcast?.stop();
  }

  lag(topics: string[]) {
    return this.groups.lag(this.groupId, topics);
  }

  status(replayId: string): ReplayStatus | undefined {
    return this.statuses.get(replayId);
  }

  /** The audit trail: every replay of this service as announced on the control topic. */
  async audit(): Promise<ReplayNotice[]> {
    const events = await readTopic(this.kafka, TOPICS.control);
    const byId = new Map<string, ReplayNotice>();
    for (const e of events) {
      if (e.type !== EVENT_TYPES.replayRequested && e.type !== EVENT_TYPES.replayFinished) continue;
      const notice = jsonOf<ReplayNotice>(e);
      if (notice.service !== this.service) continue;
      byId.set(notice.replayId, { ...byId.get(notice.replayId), ...notice });
    }
    return [...byId.values()].sort((a, b) => a.requestedAt.localeCompare(b.requestedAt));
  }

  async request(request: ReplayRequest): Promise<ReplayStatus> {
    const consumed = consumerOfGroup(this.groupId)?.topics ?? this.topics;
    if (!consumed.includes(request.topic)) {
      throw new ReplayRequestError(`topic ${request.topic} is not consumed by ${this.service} (group ${this.groupId})`);
    }
    let start: ReplayStart;
    try {
      start = parseReplayStart(request.from);
    } catch (e) {
      throw new ReplayRequestError((e as Error).message);
    }
    const positions = await this.groups.plan(this.groupId, request.topic, start);
    const notice: ReplayNotice = {
      replayId: randomUUID(),
      service: this.service,
      groupId: this.groupId,
      topic: request.topic,
      start,
      positions,
      requestedBy: request.requestedBy,
      requestedAt: new Date().toISOString(),
    };
    const status: ReplayStatus = { ...notice, state: request.dryRun ? 'planned' : 'pausing', progress: { done: 0, total: 0 } };
    this.remember(status);
    if (request.dryRun) return status;
    await this.announce(EVENT_TYPES.replayRequested, notice);
    void this.run(status).catch(async (e) => {
      status.state = 'failed';
      status.error = (e as Error).message;
      this.log(`replay ${notice.replayId} failed: ${status.error}`);
      await this.announce(EVENT_TYPES.replayFinished, { ...notice, status: 'failed', error: status.error, finishedAt: new Date().toISOString() }).catch((a: Error) =>
        this.log(`replay ${notice.replayId}: its end not announced on the control topic: ${a.message}`),
      );
      // Kafka is often why the replay failed: resuming may fail too, and the consumer restarts itself
      // only once it runs; so retry here until it consumes again (never an unhandled rejection).
      await this.resumeOwnConsumer();
    });
    return status;
  }

  private async run(status: ReplayStatus): Promise<void> {
    await consumerOfGroup(this.groupId)?.pause();
    await this.groups.waitUntilEmpty(this.groupId);
    await this.groups.setOffsets(this.groupId, status.topic, status.positions);
    status.state = 'replaying';
    await this.announce(EVENT_TYPES.replayStarted, status);
    await consumerOfGroup(this.groupId)?.resume();
    for (;;) {
      const progress = replayProgress(status.positions, await this.groups.committed(this.groupId, status.topic));
      status.progress = { done: progress.done, total: progress.total };
      if (progress.caughtUp) break;
      await sleep(1000);
    }
    status.state = 'finished';
    status.finishedAt = new Date().toISOString();
    await this.announce(EVENT_TYPES.replayFinished, { ...this.noticeOf(status), status: 'finished', finishedAt: status.finishedAt });
  }

  private async resumeOwnConsumer(): Promise<void> {
    for (let wait = 1000; ; wait = Math.min(wait * 2, 30_000)) {
      try {
        await consumerOfGroup(this.groupId)?.resume();
        return;
      } catch (e) {
        this.log(`resuming ${this.groupId} after the failed replay failed (${(e as Error).message}); retrying in ${wait} ms`);
        await sleep(wait);
      }
    }
  }

  /**
   * Keeps the status for GET …/replays/{id} — a dry run's plan too, since its answer names a replayId.
   * Bounded: beyond MAX_STATUSES the oldest planned or ended one is dropped (running ones never are).
   */
  private remember(status: ReplayStatus): void {
    this.statuses.set(status.replayId, status);
    if (this.statuses.size <= MAX_STATUSES) return;
    for (const [id, s] of this.statuses) {
      if (s.state === 'planned' || s.state === 'finished' || s.state === 'failed') {
        this.statuses.delete(id);
        return;
      }
    }
  }

  private noticeOf(s: ReplayStatus): ReplayNotice {
    const { state: _state, progress: _progress, ...notice } = s;
    return notice;
  }

  private announce(type: string, notice: ReplayNotice): Promise<void> {
    return this.publisher.publish([
      {
        topic: TOPICS.control,
        key: notice.replayId,
        id: deterministicId(type, notice.replayId),
        type,
        source: ceSource(this.service),
        subject: notice.groupId,
        data: this.noticeOf(notice as ReplayStatus),
      },
    ]);
  }

  private async onControl(events: ConsumedEvent[]): Promise<void> {
    for (const e of events) {
      if (e.subject !== this.groupId) continue;
      if (this.statuses.has(jsonOf<ReplayNotice>(e).replayId)) continue; // our own replay: run() drives it
      if (e.type === EVENT_TYPES.replayRequested) {
        this.log(`pausing ${this.groupId} for a replay`);
        await consumerOfGroup(this.groupId)?.pause();
      } else if (e.type === EVENT_TYPES.replayStarted || e.type === EVENT_TYPES.replayFinished) {
        await consumerOfGroup(this.groupId)?.resume();
      }
    }
  }
}

export class ReplayRequestError extends Error {
  override readonly name = 'ReplayRequestError';
}
