import { Injectable, Logger } from '@nestjs/common';
import {
  Catalogue,
  type CatalogueChanges,
  catalogueFromJson,
  CatalogueError,
  defaultCatalogue,
} from '@sozialmonitor/indicators';
import { readFileSync, unwatchFile, watchFile } from 'node:fs';
import { KpiCalculationEnvironment } from '../kpi-calculation.environment';

type Listener = (changes: CatalogueChanges) => void;

/**
 * The indicator catalogue in use: CATALOGUE_FILE when set (reloaded when the file changes or a
 * `catalogue-changed` control event arrives), else the catalogue shipped with the code. A catalogue
 * that fails validation is refused and the previous one stays (the log names indicator and position).
 */
@Injectable()
export class CatalogueService {
  private readonly log = new Logger('Catalogue');
  private catalogue: Catalogue;
  private readonly listeners: Listener[] = [];

  constructor(private readonly env: KpiCalculationEnvironment) {
    this.catalogue = this.read();
  }

  get current(): Catalogue {
    return this.catalogue;
  }

  onChange(listener: Listener): void {
    this.listeners.push(listener);
  }

  /** Re-reads the catalogue; returns what changed (nothing when invalid or equal). */
  reload(): CatalogueChanges {
    let next: Catalogue;
    try {
      next = this.read();
    } catch (e) {
      this.log.error(`catalogue not reloaded: ${e instanceof CatalogueError ? e.message : (e as Error).name}`);
      return { added: [], changed: [], retired: [] };
    }
    const changes = next.changesSince(this.catalogue);
    this.catalogue = next;
    if (changes.added.length + changes.changed.length + changes.retired.length > 0) {
      this.log.log(
        `catalogue reloaded: added ${changes.added.join(',') || '-'}; changed ${changes.changed.join(',') || '-'}; retired ${changes.retired.join(',') || '-'}`,
      );
      for (const l of this.listeners) l(changes);
    }
    return changes;
  }

  /** Polls CATALOGUE_FILE for changes (polling works on every file system and in containers). */
  watch(intervalMs = 5000): void {
    const file = this.env.CATALOGUE_FILE;
    if (!file) return;
    watchFile(file, { interval: intervalMs }, (now, before) => {
      if (now.mtimeMs !== before.mtimeMs) this.reload();
    });
  }

  unwatch(): void {
    if (this.env.CATALOGUE_FILE) unwatchFile(this.env.CATALOGUE_FILE);
  }

  private read(): Catalogue {
    return this.env.CATALOGUE_FILE
      ? catalogueFromJson(readFileSync(this.env.CATALOGUE_FILE, 'utf8'))
      : defaultCatalogue();
  }
}
