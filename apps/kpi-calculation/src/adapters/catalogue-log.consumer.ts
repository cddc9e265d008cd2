import { Inject, Injectable, Logger } from '@nestjs/common';
import { ceSource, EVENT_TYPES, TOPICS } from '@sozialmonitor/contracts';
import {
  type CatalogueAuditMessage,
  CatalogueError,
  CatalogueHistory,
  type CatalogueVersion,
  type CatalogueVersionMessage,
} from '@sozialmonitor/indicators';
import {
  deterministicId,
  EventPublisher,
  jsonOf,
  KAFKA,
  SourceDeclarations,
  TopicFollower,
} from '@sozialmonitor/messaging';
import type { Kafka } from 'kafkajs';
import { CatalogueLog } from '../application/ports/catalogue-log';
import { KpiCalculationEnvironment } from '../kpi-calculation.environment';

const pad = (n: number) => String(n).padStart(9, '0');

/** The catalogue topic (CATALOGUE_TOPIC) through Kafka: followed from its beginning by every instance. */
@Injectable()
export class KafkaCatalogueLog extends CatalogueLog {
  private readonly log = new Logger('CatalogueLog');
  private readonly versions = new CatalogueHistory();
  private readonly entries = new Map<string, CatalogueAuditMessage>();
  private readonly follower: TopicFollower;
  private onVersion: (version: CatalogueVersion) => void = () => undefined;

  constructor(
    @Inject(KAFKA) kafka: Kafka,
    private readonly publisher: EventPublisher,
    private readonly env: KpiCalculationEnvironment,
    private readonly sources: SourceDeclarations,
  ) {
    super();
    this.follower = new TopicFollower(kafka, {
      topic: env.CATALOGUE_TOPIC,
      contractTopic: TOPICS.catalogue,
      groupPrefix: `${env.KPI_CALCULATION_GROUP_ID}.catalogue`,
      replicationFactor: env.TOPIC_REPLICATION_FACTOR,
      log: this.log,
      handler: async (events) => {
        for (const event of events) {
          if (event.type === EVENT_TYPES.catalogueAudit) {
            const entry = jsonOf<CatalogueAuditMessage>(event);
            this.entries.set(entry.id, entry);
          } else if (event.type === EVENT_TYPES.catalogueVersion) {
            await this.addVersion(jsonOf<CatalogueVersionMessage>(event));
          }
        }
      },
    });
  }

  async start(onVersion: (version: CatalogueVersion) => void): Promise<void> {
    this.onVersion = onVersion;
    await this.follower.start();
  }

  private async addVersion(message: CatalogueVersionMessage): Promise<void> {
    try {
      // It may use the measures of a source registered a moment ago: then the source topic is read to its end first.
      const added = await this.sources.withNewSources(() => this.versions.add(message), (e) => e instanceof CatalogueError);
      if (added) this.onVersion(added);
    } catch (e) {
      // Only the admin API writes versions, after validating them; this is a foreign or damaged message.
      if (e instanceof CatalogueError)
        this.log.error(`catalogue version ${message.catalogueVersion} ignored: ${e.message}`);
      else throw e;
    }
  }

  async stop(): Promise<void> {
    await this.follower.stop();
  }

  history(): CatalogueHistory {
    return this.versions;
  }

  audit(): CatalogueAuditMessage[] {
    return [...this.entries.values()].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  }

  /**
   * Writes a version, and announces it on the control topic (`catalogue-changed`, events.md) for
   * systems that watch the control topic; the services themselves follow the catalogue topic.
   */
  async appendVersion(message: CatalogueVersionMessage): Promise<void> {
    const key = `version:${pad(message.catalogueVersion)}`;
    const { document: _document, ...notice } = message;
    await this.publisher.publish([
      {
        topic: this.env.CATALOGUE_TOPIC,
        key,
        id: deterministicId(key, JSON.stringify(message)),
        type: EVENT_TYPES.catalogueVersion,
        source: ceSource('kpi-calculation'),
        subject: key,
        time: message.createdAt,
        data: message,
      },
      {
        topic: this.env.CONTROL_TOPIC,
        key: `catalogue:${pad(message.catalogueVersion)}`,
        id: deterministicId('catalogue-changed', key, message.createdAt),
        type: EVENT_TYPES.catalogueChanged,
        source: ceSource('kpi-calculation'),
        time: message.createdAt,
        data: notice,
      },
    ]);
  }

  async appendAudit(message: CatalogueAuditMessage): Promise<void> {
    const key = `audit:${message.at}:${message.id}`;
    await this.publisher.publish([
      {
        topic: this.env.CATALOGUE_TOPIC,
        key,
        id: deterministicId(key),
        type: EVENT_TYPES.catalogueAudit,
        source: ceSource('kpi-calculation'),
        subject: key,
        time: message.at,
        data: message,
      },
    ]);
  }

  waitForVersion(version: number, timeoutMs: number): Promise<boolean> {
    return this.follower.waitFor(() => this.versions.get(version) !== undefined, timeoutMs);
  }
}
