import {
  adoptSourceVersion,
  ceSource,
  DeclarationError,
  EVENT_TYPES,
  parseSourceDeclaration,
  type SourceAuditMessage,
  type SourceVersionMessage,
  topicSettings,
  TOPICS,
} from '@sozialmonitor/contracts';
import type { Kafka } from 'kafkajs';
import { deterministicId, jsonOf } from './cloud-event';
import type { EventPublisher } from './event-publisher';
import { TopicFollower } from './topic-follower';

export interface SourceDeclarationLogOptions {
  /** SOURCES_TOPIC (tests use a private one). */
  readonly topic: string;
  /** Prefix of the throwaway consumer group of this instance. */
  readonly groupPrefix: string;
  readonly replicationFactor: number;
  readonly log: { log(message: string): void; error(message: string): void };
}

/** How long `stop` waits for a start under way. */
const STOP_WAIT_MS = 10_000;
const pad = (n: number) => String(n).padStart(9, '0');

/**
 * The source topic (SOURCES_TOPIC): every registered source declaration version and the audit trail of
 * the source administration, followed from its beginning by every instance of every service (the same
 * TopicFollower as the catalogue). Each version is adopted into the process-wide source registry of
 * libs/contracts, which ingestion, anonymization and the engine's measure registry read: a source
 * registered at run time is delivered, anonymized and counted with no restart.
 */
export class SourceDeclarationLog {
  private follower?: TopicFollower;
  private started?: Promise<void>;
  private readonly versions: SourceVersionMessage[] = [];
  private readonly entries = new Map<string, SourceAuditMessage>();
  private waiters: Array<() => void> = [];
  /** Next offset to read per partition: what has been handled. */
  private readonly consumed = new Map<number, bigint>();

  constructor(
    private readonly kafka: Kafka,
    private readonly options: SourceDeclarationLogOptions,
    private readonly publisher?: EventPublisher,
  ) {}

  /** Reads the topic to its end, then follows it (idempotent: every caller may await it). */
  start(): Promise<void> {
    return (this.started ??= this.follow().catch((e: unknown) => {
      this.started = undefined; // a later call tries again
      throw e;
    }));
  }

  private async follow(): Promise<void> {
    this.follower = new TopicFollower(this.kafka, this.options.topic, {
      groupPrefix: this.options.groupPrefix,
      ensure: {
        settings: topicSettings().find((t) => t.name === TOPICS.sources)!,
        replicationFactor: this.options.replicationFactor,
      },
      onError: (e) => this.options.log.error(`source topic: ${e.message}`),
      handler: (events) => {
        for (const event of events) {
          this.consumed.set(event.partition, BigInt(event.offset) + 1n);
          if (event.type === EVENT_TYPES.sourceAudit) {
            const entry = jsonOf<SourceAuditMessage>(event);
            this.entries.set(entry.id, entry);
          } else if (event.type === EVENT_TYPES.sourceVersion) this.adopt(jsonOf<SourceVersionMessage>(event));
        }
        const waiters = this.waiters;
        this.waiters = [];
        for (const w of waiters) w();
      },
    });
    await this.follower.start();
  }

  private adopt(message: SourceVersionMessage): void {
    try {
      const declaration = parseSourceDeclaration(message.document);
      if (!this.versions.some((v) => v.name === message.name && v.version === message.version)) this.versions.push(message);
      if (adoptSourceVersion(declaration, message.retired))
        this.options.log.log(`source ${message.name} version ${message.version} in use${message.retired ? ' (retired)' : ''}`);
    } catch (e) {
      // Only the admin API writes versions, after checking them; this is a foreign or damaged message.
      if (e instanceof DeclarationError || (e as Error).name === 'MeasureRegistryError')
        this.options.log.error(`source ${message.name} version ${message.version} ignored: ${(e as Error).message}`);
      else throw e;
    }
  }

  /** Stops following; a start still under way is given a moment to finish first, so no consumer outlives the service. */
  async stop(): Promise<void> {
    const starting = this.started;
    if (starting) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        starting.catch(() => undefined),
        new Promise<void>((resolve) => (timer = setTimeout(resolve, STOP_WAIT_MS))),
      ]);
      clearTimeout(timer);
    }
    await this.follower?.stop();
  }

  /** Every version seen, in topic order. */
  history(name?: string): SourceVersionMessage[] {
    return name === undefined ? [...this.versions] : this.versions.filter((v) => v.name === name);
  }

  /** The audit entries seen, oldest first. */
  audit(): SourceAuditMessage[] {
    return [...this.entries.values()].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  }

  /**
   * Waits until everything on the topic at the call has been read (at most `timeoutMs`): for a
   * record or a catalogue version that names a source this instance has not adopted yet.
   */
  async catchUp(timeoutMs: number): Promise<void> {
    await this.start();
    const admin = this.kafka.admin();
    await admin.connect();
    let ends: Array<{ partition: number; high: bigint }>;
    try {
      const offsets = await admin.fetchTopicOffsets(this.options.topic);
      ends = offsets.filter((p) => BigInt(p.high) > BigInt(p.low)).map((p) => ({ partition: p.partition, high: BigInt(p.high) }));
    } finally {
      await admin.disconnect();
    }
    const end = Date.now() + timeoutMs;
    const behind = () => ends.some((p) => (this.consumed.get(p.partition) ?? 0n) < p.high);
    while (behind() && Date.now() < end) await this.nextBatch(end - Date.now());
  }

  private nextBatch(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, Math.min(ms, 500));
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** Resolves true once `name` version `version` has been read back from the topic. */
  async waitForVersion(name: string, version: number, timeoutMs: number): Promise<boolean> {
    const end = Date.now() + timeoutMs;
    while (!this.versions.some((v) => v.name === name && v.version === version)) {
      if (Date.now() >= end) return false;
      await this.nextBatch(end - Date.now());
    }
    return true;
  }

  async appendVersion(message: SourceVersionMessage, service: string): Promise<void> {
    const key = `source:${message.name}:${pad(message.version)}`;
    await this.requirePublisher().publish([
      {
        topic: this.options.topic,
        key,
        id: deterministicId(key, JSON.stringify(message)),
        type: EVENT_TYPES.sourceVersion,
        source: ceSource(service),
        subject: key,
        time: message.createdAt,
        data: message,
      },
    ]);
  }

  async appendAudit(message: SourceAuditMessage, service: string): Promise<void> {
    const key = `audit:${message.at}:${message.id}`;
    await this.requirePublisher().publish([
      {
        topic: this.options.topic,
        key,
        id: deterministicId(key),
        type: EVENT_TYPES.sourceAudit,
        source: ceSource(service),
        subject: key,
        time: message.at,
        data: message,
      },
    ]);
  }

  private requirePublisher(): EventPublisher {
    if (!this.publisher) throw new Error('this SourceDeclarationLog only reads (no publisher)');
    return this.publisher;
  }
}

/** How long a service waits for the source topic when it meets a source it has not adopted yet. */
export const SOURCE_CATCH_UP_MS = 10_000;
