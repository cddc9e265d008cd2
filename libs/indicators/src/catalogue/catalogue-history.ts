import { Catalogue } from './catalogue';
import type { CatalogueDocument, IndicatorDefinition } from './indicator-definition';

/** What made a catalogue version: the shipped catalogue, an activated draft, a retirement, a roll back. */
export type CatalogueAction = 'seed' | 'activate' | 'retire' | 'rollback';

/**
 * A catalogue version as kept on the catalogue topic (key `version:<n>`): the whole document, who made
 * it, when and why. The highest version is the one kpi-calculation computes with, from `createdAt`; the
 * public (publication) describes it from `releaseAt` when it was held until then, else from `createdAt`.
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
  /**
   * A version held until a release time (issue #17): its new and changed indicators' values are
   * published then, and the public describes the version from then (written again when the time moves).
   */
  readonly releaseAt?: string;
  readonly document: CatalogueDocument;
}

/** When a version became (or becomes) public: its release time when it was held, else when it was made. */
export const publicSince = (v: Pick<CatalogueVersionMessage, 'createdAt' | 'releaseAt'>): number =>
  Math.max(Date.parse(v.createdAt), v.releaseAt ? Date.parse(v.releaseAt) : -Infinity);

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

  /**
   * Adds a version (validated; an invalid document throws a CatalogueError). The same version again is
   * ignored, except a moved release time of a held version (the only change a version sees).
   */
  add(message: CatalogueVersionMessage): CatalogueVersion | undefined {
    const known = this.versions.get(message.catalogueVersion);
    if (known) {
      if (message.releaseAt !== known.releaseAt) this.versions.set(message.catalogueVersion, { ...known, releaseAt: message.releaseAt });
      return undefined;
    }
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

  /** The version public at `time` (RFC 3339): the highest made — and, when it was held, released — at or before it. */
  activeAt(time: string): CatalogueVersion | undefined {
    const t = Date.parse(time);
    let best: CatalogueVersion | undefined;
    for (const v of this.versions.values())
      if (publicSince(v) <= t && (!best || v.catalogueVersion > best.catalogueVersion)) best = v;
    return best;
  }

  /**
   * The version to describe to the public now: the highest not held beyond `time` (a version without a
   * release time counts at once, whatever the clocks of the writer and the reader say).
   */
  publicAt(time: number): CatalogueVersion | undefined {
    let best: CatalogueVersion | undefined;
    for (const v of this.versions.values())
      if ((!v.releaseAt || Date.parse(v.releaseAt) <= time) && (!best || v.catalogueVersion > best.catalogueVersion)) best = v;
    return best;
  }

  /** The earliest release time of a held version after `time`: when the public version changes next. */
  nextReleaseAfter(time: number): number | undefined {
    let next: number | undefined;
    for (const v of this.versions.values()) {
      const at = v.releaseAt ? Date.parse(v.releaseAt) : NaN;
      if (at > time && (next === undefined || at < next)) next = at;
    }
    return next;
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
