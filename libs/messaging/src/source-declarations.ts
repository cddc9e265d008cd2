import {
  adoptSourceVersion,
  ceSource,
  DeclarationError,
  EVENT_TYPES,
  parseSourceDeclaration,
  type SourceAuditMessage,
  type SourceVersionMessage,
  TOPICS,
} from '@sozialmonitor/contracts';
import type { Kafka } from 'kafkajs';
import { deterministicId, jsonOf } from './cloud-event';
import type { EventPublisher } from './event-publisher';
import { type FollowerLog, TopicFollower } from './topic-follower';

export interface SourceDeclarationLogOptions {
  /** SOURCES_TOPIC (tests use a private one). */
  readonly topic: string;
  /** Prefix of the throwaway consumer group of this instance. */
  readonly groupPrefix: string;
  readonly replicationFactor: number;
  readonly log: FollowerLog;
}

/** How long a service waits for the source topic when it meets a source it has not adopted yet. */
export const SOURCE_CATCH_UP_MS = 10_000;
const pad = (n: number) => String(n).padStart(9, '0');

/**
 * The source topic (SOURCES_TOPIC): every registered source declaration version and the audit trail of
 * the source administration, followed from its beginning by every instance of every service (the same
 * TopicFollower as the catalogue). Each version is adopted into the process-wide source registry of
 * libs/contracts, which ingestion, anonymization and the engine's measure registry read: a source
 * registered at run time is delivered, anonymized and counted with no restart.
 */
export class SourceDeclarationLog {
  private readonly follower: TopicFollower;
  private readonly versions: SourceVersionMessage[] = [];
  private readonly entries = new Map<string, SourceAuditMessage>();

  constructor(
    kafka: Kafka,
    private readonly options: SourceDeclarationLogOptions,
    private readonly publisher?: EventPublisher,
  ) {
    this.follower = new TopicFollower(kafka, {
      topic: options.topic,
      contractTopic: TOPICS.sources,
      groupPrefix: options.groupPrefix,
      replicationFactor: options.replicationFactor,
      log: options.log,
      handler: (events) => {
        for (const event of events) {
          if (event.type === EVENT_TYPES.sourceAudit) {
            const entry = jsonOf<SourceAuditMessage>(event);
            this.entries.set(entry.id, entry);
          } else if (event.type === EVENT_TYPES.sourceVersion) this.adopt(jsonOf<SourceVersionMessage>(event));
        }
      },
    });
  }

  /** Reads the topic to its end, then follows it (idempotent: every caller may await it). */
  start(): Promise<void> {
    return this.follower.start();
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
    await this.follower.stop();
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
  catchUp(timeoutMs: number): Promise<void> {
    return this.follower.catchUp(timeoutMs);
  }

  /**
   * `catchUp` where knowing every source is a help, not a must: when the topic cannot be read now the
   * caller goes on with the sources this instance knows (logged), and a source it does not know stays
   * unknown, which each caller reports as such (a record dead-lettered, a 404, a draft refused).
   */
  async catchUpIfPossible(): Promise<void> {
    try {
      await this.catchUp(SOURCE_CATCH_UP_MS);
    } catch (e) {
      this.options.log.warn(`source topic not read to its end, going on with the sources known: ${(e as Error).message}`);
    }
  }

  /**
   * Runs `attempt`; when it throws an error that may come from a source registered a moment ago
   * (`mayNameNewSource`), reads the source topic to its end and runs it once more.
   */
  async withNewSources<T>(attempt: () => T, mayNameNewSource: (e: unknown) => boolean): Promise<T> {
    try {
      return attempt();
    } catch (e) {
      if (!mayNameNewSource(e)) throw e;
      await this.catchUpIfPossible();
      return attempt();
    }
  }

  /** Resolves true once `name` version `version` has been read back from the topic. */
  waitForVersion(name: string, version: number, timeoutMs: number): Promise<boolean> {
    return this.follower.waitFor(() => this.versions.some((v) => v.name === name && v.version === version), timeoutMs);
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
