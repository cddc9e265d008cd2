import { Injectable, Logger } from '@nestjs/common';
import {
  Catalogue,
  type CatalogueChanges,
  type CatalogueDocument,
  catalogueFromJson,
  defaultCatalogue,
  defaultCatalogueDocument,
} from '@sozialmonitor/indicators';
import { readFileSync } from 'node:fs';
import { KpiCalculationEnvironment } from '../kpi-calculation.environment';

type Listener = (changes: CatalogueChanges) => void;

/**
 * The indicator catalogue in use: the active version of the catalogue topic (CatalogueLog adopts every
 * new one), until the topic has answered the one shipped with the code or CATALOGUE_FILE, which is also
 * what a first start puts on the topic as version 1.
 */
@Injectable()
export class CatalogueService {
  private readonly log = new Logger('Catalogue');
  private catalogue: Catalogue;
  private readonly listeners: Listener[] = [];

  constructor(private readonly env: KpiCalculationEnvironment) {
    this.catalogue = this.env.CATALOGUE_FILE
      ? catalogueFromJson(readFileSync(this.env.CATALOGUE_FILE, 'utf8'))
      : defaultCatalogue();
  }

  get current(): Catalogue {
    return this.catalogue;
  }

  onChange(listener: Listener): void {
    this.listeners.push(listener);
  }

  /** The catalogue document shipped with the code (or CATALOGUE_FILE): what a first start activates. */
  shippedDocument(): CatalogueDocument {
    return this.env.CATALOGUE_FILE
      ? (JSON.parse(readFileSync(this.env.CATALOGUE_FILE, 'utf8')) as CatalogueDocument)
      : defaultCatalogueDocument();
  }

  /** Uses `next` from now on and tells the listeners what changed (recomputation). */
  adopt(next: Catalogue): CatalogueChanges {
    const changes = next.changesSince(this.catalogue);
    this.catalogue = next;
    if (changes.added.length + changes.changed.length + changes.retired.length > 0) {
      this.log.log(
        `catalogue version ${next.catalogueVersion} in use: added ${changes.added.join(',') || '-'}; changed ${changes.changed.join(',') || '-'}; retired ${changes.retired.join(',') || '-'}`,
      );
      for (const l of this.listeners) l(changes);
    }
    return changes;
  }
}
