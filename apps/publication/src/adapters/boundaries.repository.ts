import { Injectable, type OnModuleInit } from '@nestjs/common';
import { MUNICIPALITIES } from '@sozialmonitor/regions';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { type Boundaries, BoundariesError, prepareBoundaries } from '../domain/boundaries';
import { PublicationEnvironment } from '../publication.environment';

/**
 * The municipality boundaries of the map, read once at start from PUBLICATION_BOUNDARIES_FILE (default:
 * BKG VG5000 in libs/regions/data, see ATTRIBUTION.md there) and rounded for the web. A file that is
 * missing, unreadable or lacks a municipality stops the start with a message naming the file and why.
 */
@Injectable()
export class BoundariesRepository implements OnModuleInit {
  private loaded?: Boundaries;

  constructor(private readonly env: PublicationEnvironment) {}

  async onModuleInit(): Promise<void> {
    const file = resolve(this.env.PUBLICATION_BOUNDARIES_FILE);
    let document: unknown;
    try {
      document = JSON.parse(await readFile(file, 'utf8'));
    } catch (e) {
      throw new Error(`PUBLICATION_BOUNDARIES_FILE ${file}: cannot be read as JSON (${(e as Error).message})`);
    }
    try {
      this.loaded = prepareBoundaries(
        document,
        MUNICIPALITIES.map((m) => m.ags),
      );
    } catch (e) {
      if (e instanceof BoundariesError) throw new Error(`PUBLICATION_BOUNDARIES_FILE ${file}: ${e.message}`);
      throw e;
    }
  }

  get boundaries(): Boundaries {
    if (!this.loaded) throw new Error('the boundaries are read at start (onModuleInit) and are not there yet');
    return this.loaded;
  }
}
