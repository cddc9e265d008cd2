import 'reflect-metadata';
import { runHttpService } from '@sozialmonitor/platform';
import { IngestionEnvironment, SERVICE } from './ingestion.environment';
import { IngestionModule } from './ingestion.module';

void runHttpService({
  service: SERVICE,
  environment: IngestionEnvironment,
  module: (env) => IngestionModule.forRoot(env),
  options: (config) => IngestionModule.httpOptions(config),
});
