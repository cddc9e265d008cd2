import { Inject, Injectable, Logger, type OnModuleInit, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import { EVENT_TYPES, TOPICS } from '@sozialmonitor/contracts';
import {
  Catalogue,
  CatalogueError,
  CatalogueHistory,
  type CatalogueVersionMessage,
  defaultCatalogue,
  FollowingCatalogue,
} from '@sozialmonitor/indicators/catalogue';
import { jsonOf, KAFKA, SourceDeclarations, TopicFollower } from '@sozialmonitor/messaging';
import type { Kafka } from 'kafkajs';
import { CatalogueTimeline } from '../application/ports/catalogue-timeline';
import { PublicationEnvironment } from '../publication.environment';

/**
 * The indicator catalogue the API describes and validates ids against: the active version of the
 * catalogue topic (every version kept, for `asOf`), followed while the service runs. Until the topic
 * holds a version (kpi-calculation puts the shipped one there at its first start) it is the one shipped
 * with the code.
 */
@Injectable()
export class CatalogueVersions extends CatalogueTimeline implements OnModuleInit, OnApplicationShutdown {
  private readonly log = new Logger('CatalogueVersions');
  readonly history = new CatalogueHistory();
  readonly catalogue = new FollowingCatalogue(defaultCatalogue());
  private readonly follower: TopicFollower;
  private releaseTimer?: NodeJS.Timeout;

  constructor(
    @Inject(KAFKA) kafka: Kafka,
    env: PublicationEnvironment,
    private readonly sources: SourceDeclarations,
  ) {
    super();
    this.follower = new TopicFollower(kafka, {
      topic: env.CATALOGUE_TOPIC,
      contractTopic: TOPICS.catalogue,
      groupPrefix: `${env.PUBLICATION_CONSUMER_GROUP}.catalogue`,
      replicationFactor: env.TOPIC_REPLICATION_FACTOR,
      log: this.log,
      handler: async (events) => {
        for (const event of events) {
          if (event.type !== EVENT_TYPES.catalogueVersion) continue;
          const message = jsonOf<CatalogueVersionMessage>(event);
          try {
            // It may use the measures of a source registered a moment ago: then the source topic is read to its end first.
            await this.sources.withNewSources(() => this.history.add(message), (e) => e instanceof CatalogueError);
          } catch (e) {
            if (!(e instanceof CatalogueError)) throw e;
            this.log.error(`a catalogue version on the topic is invalid and ignored: ${e.message}`);
          }
        }
        this.followPublic();
      },
    });
  }

  async onModuleInit(): Promise<void> {
    await this.follower.start();
  }

  /**
   * Follows the version public now: the highest, unless it is held until a release time (issue #17) —
   * then the one before it, until that time (a timer switches at it).
   */
  private followPublic(): void {
    const now = Date.now();
    const current = this.history.publicAt(now);
    if (current && current.catalogue !== this.catalogue.target) {
      this.catalogue.follow(current.catalogue);
      this.log.log(`catalogue version ${current.catalogueVersion} in use`);
    }
    clearTimeout(this.releaseTimer);
    const next = this.history.nextReleaseAfter(now);
    if (next !== undefined) this.releaseTimer = setTimeout(() => this.followPublic(), Math.min(next - now + 1, 2 ** 31 - 1));
  }

  async onApplicationShutdown(): Promise<void> {
    clearTimeout(this.releaseTimer);
    await this.follower.stop();
  }

  /** The catalogue active at `asOf` (RFC 3339), or the one in use when none was active then. */
  at(asOf: string | undefined): Catalogue {
    return (asOf ? this.history.activeAt(asOf)?.catalogue : undefined) ?? this.catalogue;
  }
}

/** `Catalogue` for injection: the followed one. */
export const catalogueProvider: Provider = {
  provide: Catalogue,
  inject: [CatalogueVersions],
  useFactory: (versions: CatalogueVersions): Catalogue => versions.catalogue,
};
