import type { Provider } from '@nestjs/common';
import { Catalogue, defaultCatalogue } from '@sozialmonitor/indicators/catalogue';

/**
 * The indicator catalogue the API describes and validates ids against: the one shipped with the code
 * (libs/indicators/catalogue). Loading a new catalogue at run time (admin API, control topic) would
 * replace this provider's value.
 */
export const catalogueProvider: Provider = { provide: Catalogue, useFactory: (): Catalogue => defaultCatalogue() };
