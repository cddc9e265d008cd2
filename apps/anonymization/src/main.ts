import 'reflect-metadata';
import { runHttpService } from '@sozialmonitor/platform';
import { AnonymizationEnvironment, SERVICE } from './anonymization.environment';
import { AnonymizationModule } from './anonymization.module';

void runHttpService({
  service: SERVICE,
  environment: AnonymizationEnvironment,
  module: (env) => AnonymizationModule.forRoot(env),
  options: (config) => AnonymizationModule.httpOptions(config),
});
