import 'reflect-metadata';
import { runHttpService } from '@sozialmonitor/platform';
import { PublicationEnvironment, SERVICE } from './publication.environment';
import { PublicationModule } from './publication.module';

void runHttpService({
  service: SERVICE,
  environment: PublicationEnvironment,
  module: (env) => PublicationModule.forRoot(env),
  options: (config) => PublicationModule.httpOptions(config),
});
