import 'reflect-metadata';
import { runHttpService } from '@sozialmonitor/platform';
import { ingestionHttpOptions } from './http/ingestion-http';
import { IngestionEnvironment } from './ingestion.environment';
import { IngestionModule } from './ingestion.module';

void runHttpService({
  service: 'ingestion',
  environment: IngestionEnvironment,
  module: () => IngestionModule,
  options: (config) => ingestionHttpOptions(config),
});
