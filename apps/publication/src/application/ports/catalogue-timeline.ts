import type { Catalogue } from '@sozialmonitor/indicators/catalogue';

/** Every catalogue version the service has seen (the catalogue topic in the service): which was active when. */
export abstract class CatalogueTimeline {
  /** The catalogue active at `asOf` (RFC 3339), or the one in use when none was active then or none is asked. */
  abstract at(asOf: string | undefined): Catalogue;
}
