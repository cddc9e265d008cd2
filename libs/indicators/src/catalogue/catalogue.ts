import catalogueV1 from '../../catalogue/catalogue.v1.json';
import { CatalogueError, validateCatalogue } from './catalogue-validation';
import type { CatalogueDocument, IndicatorDefinition } from './indicator-definition';

export interface CatalogueChanges {
  /** Ids that are new or active again. */
  readonly added: readonly string[];
  /** Ids whose active version changed. */
  readonly changed: readonly string[];
  /** Ids no longer active (retired or gone). */
  readonly retired: readonly string[];
}

/**
 * The validated indicator catalogue. An id may appear with several versions; its *current* definition
 * is the highest version, and it is *active* when that version's status is `active`. Retired
 * indicators are not published any more but stay queryable with their last version.
 */
export class Catalogue {
  private readonly byIdVersions = new Map<string, IndicatorDefinition[]>();
  private readonly order: string[] = [];

  constructor(
    definitions: readonly IndicatorDefinition[],
    private readonly version_ = 1,
  ) {
    for (const def of definitions) {
      const list = this.byIdVersions.get(def.id);
      if (list) list.push(def);
      else {
        this.byIdVersions.set(def.id, [def]);
        this.order.push(def.id);
      }
    }
    for (const list of this.byIdVersions.values()) list.sort((a, b) => a.version - b.version);
  }

  /** The catalogue's own version (the document's `catalogueVersion`). */
  get catalogueVersion(): number {
    return this.version_;
  }

  static fromDocument(doc: CatalogueDocument): Catalogue {
    return new Catalogue(validateCatalogue(doc), doc.catalogueVersion);
  }

  /** Every id ever listed, in catalogue order (active and retired). */
  allIds(): string[] {
    return [...this.order];
  }

  /** The active indicators' current definitions, in catalogue order. */
  active(): IndicatorDefinition[] {
    return this.order.map((id) => this.current(id)!).filter((d) => d.status === 'active');
  }

  activeIds(): string[] {
    return this.active().map((d) => d.id);
  }

  /** The active definition of `id`, or undefined when unknown or retired. */
  byId(id: string): IndicatorDefinition | undefined {
    const def = this.current(id);
    return def?.status === 'active' ? def : undefined;
  }

  /** The highest version of `id`, active or retired. */
  current(id: string): IndicatorDefinition | undefined {
    const list = this.byIdVersions.get(id);
    return list ? list[list.length - 1] : undefined;
  }

  version(id: string, version: number): IndicatorDefinition | undefined {
    return this.byIdVersions.get(id)?.find((d) => d.version === version);
  }

  versions(id: string): IndicatorDefinition[] {
    return [...(this.byIdVersions.get(id) ?? [])];
  }

  /** Active indexes that depend on any of `ids` (directly or through another index). */
  dependentsOf(ids: Iterable<string>): string[] {
    const wanted = new Set(ids);
    const out: string[] = [];
    const reaches = (def: IndicatorDefinition): boolean =>
      def.inputs.some((i) => wanted.has(i.id) || reaches(i));
    for (const def of this.active()) if (def.kind === 'index' && !wanted.has(def.id) && reaches(def)) out.push(def.id);
    return out;
  }

  /** What a switch from `previous` to this catalogue means for publication. */
  changesSince(previous: Catalogue): CatalogueChanges {
    const added: string[] = [];
    const changed: string[] = [];
    const retired: string[] = [];
    for (const def of this.active()) {
      const before = previous.byId(def.id);
      if (!before) added.push(def.id);
      else if (before.version !== def.version || before.formula !== def.formula) changed.push(def.id);
    }
    for (const def of previous.active()) if (!this.byId(def.id)) retired.push(def.id);
    return { added, changed, retired };
  }
}

/** Parses and validates a catalogue from its JSON text (the file reload path of the service). */
export function catalogueFromJson(text: string): Catalogue {
  let doc: CatalogueDocument;
  try {
    doc = JSON.parse(text) as CatalogueDocument;
  } catch {
    throw new CatalogueError('catalogue: not valid JSON');
  }
  return Catalogue.fromDocument(doc);
}

/** The document of the catalogue shipped with the code (`libs/indicators/catalogue/catalogue.v1.json`). */
export function defaultCatalogueDocument(): CatalogueDocument {
  return catalogueV1 as unknown as CatalogueDocument;
}

/** The catalogue shipped with the code (`libs/indicators/catalogue/catalogue.v1.json`). */
export function defaultCatalogue(): Catalogue {
  return Catalogue.fromDocument(defaultCatalogueDocument());
}
