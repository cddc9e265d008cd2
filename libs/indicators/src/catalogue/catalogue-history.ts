import { Catalogue } from './catalogue';
import type { CatalogueDocument, IndicatorDefinition } from './indicator-definition';

/** What made a catalogue version: the shipped catalogue, an activated draft, a retirement, a roll back. */
export type CatalogueAction = 'seed' | 'activate' | 'retire' | 'rollback';

/**
 * A catalogue version as kept on the catalogue topic (key `version:<n>`): the whole document, who made
 * it, when and why. The highest version is the active one; it became active at `createdAt`.
 */
export interface CatalogueVersionMessage {
  readonly catalogueVersion: number;
  readonly action: CatalogueAction;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly reason: string;
  /** The version active when this one was made (null for the first). */
  readonly basedOn: number | null;
  /** For a roll back: the version whose content this one restores. */
  readonly restores?: number;
  /** For a retirement: the indicator retired. */
  readonly indicator?: string;
  readonly document: CatalogueDocument;
}

/** One administrator action on the catalogue (key `audit:<time>:<id>`), also refused ones. */
export interface CatalogueAuditMessage {
  readonly id: string;
  readonly at: string;
  readonly by: string;
  readonly action: 'validate' | 'preview' | CatalogueAction;
  readonly reason?: string;
  readonly outcome: 'ok' | 'refused';
  /** The version made (activate, retire, rollback) or compared with. */
  readonly catalogueVersion?: number;
  readonly detail: string;
}

export interface CatalogueVersion extends CatalogueVersionMessage {
  readonly catalogue: Catalogue;
}

/** Every catalogue version seen on the topic, in version order; which was active at a time. */
export class CatalogueHistory {
  private readonly versions = new Map<number, CatalogueVersion>();

  /** Adds a version (validated; an invalid document throws a CatalogueError). The same version again is ignored. */
  add(message: CatalogueVersionMessage): CatalogueVersion | undefined {
    if (this.versions.has(message.catalogueVersion)) return undefined;
    const version: CatalogueVersion = {
      ...message,
      catalogue: Catalogue.fromDocument({ ...message.document, catalogueVersion: message.catalogueVersion }),
    };
    this.versions.set(message.catalogueVersion, version);
    return version;
  }

  get size(): number {
    return this.versions.size;
  }

  /** The active version: the highest. */
  latest(): CatalogueVersion | undefined {
    let best: CatalogueVersion | undefined;
    for (const v of this.versions.values()) if (!best || v.catalogueVersion > best.catalogueVersion) best = v;
    return best;
  }

  get(version: number): CatalogueVersion | undefined {
    return this.versions.get(version);
  }

  /** All versions, oldest first. */
  list(): CatalogueVersion[] {
    return [...this.versions.values()].sort((a, b) => a.catalogueVersion - b.catalogueVersion);
  }

  /** The version active at `time` (RFC 3339): the highest made at or before it. */
  activeAt(time: string): CatalogueVersion | undefined {
    const t = Date.parse(time);
    let best: CatalogueVersion | undefined;
    for (const v of this.versions.values())
      if (Date.parse(v.createdAt) <= t && (!best || v.catalogueVersion > best.catalogueVersion)) best = v;
    return best;
  }
}

/**
 * A Catalogue that follows another: every read goes to the catalogue set last (`follow`). Services
 * inject it where a Catalogue is expected, so that their readers see a newly activated version at once.
 */
export class FollowingCatalogue extends Catalogue {
  private inner: Catalogue;

  constructor(initial: Catalogue) {
    super([], initial.catalogueVersion);
    this.inner = initial;
  }

  follow(next: Catalogue): void {
    this.inner = next;
  }

  get target(): Catalogue {
    return this.inner;
  }

  override get catalogueVersion(): number {
    return this.inner.catalogueVersion;
  }

  override allIds(): string[] {
    return this.inner.allIds();
  }

  override active(): IndicatorDefinition[] {
    return this.inner.active();
  }

  override activeIds(): string[] {
    return this.inner.activeIds();
  }

  override byId(id: string): IndicatorDefinition | undefined {
    return this.inner.byId(id);
  }

  override current(id: string): IndicatorDefinition | undefined {
    return this.inner.current(id);
  }

  override version(id: string, version: number): IndicatorDefinition | undefined {
    return this.inner.version(id, version);
  }

  override versions(id: string): IndicatorDefinition[] {
    return this.inner.versions(id);
  }

  override dependentsOf(ids: Iterable<string>): string[] {
    return this.inner.dependentsOf(ids);
  }
}
