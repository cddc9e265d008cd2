import 'reflect-metadata';
import { runHttpService } from '@sozialmonitor/platform';
import { PublicationEnvironment } from './publication.environment';
import { publicationRootModule, publicationServiceOptions } from './publication.module';

void runHttpService({
  service: 'publication',
  environment: PublicationEnvironment,
  module: (env) => publicationRootModule(env),
  options: (config) => publicationServiceOptions(config),
});
