import 'reflect-metadata';
import { loadEnvironment } from '@sozialmonitor/config';
import { runHttpService } from '@sozialmonitor/platform';
import { ingestionHttpOptions } from './http/ingestion-http';
import { IngestionEnvironment } from './ingestion.environment';
import { IngestionModule } from './ingestion.module';

// Validate before Nest starts so that a wrong value ends the process with a message naming it.
let env: IngestionEnvironment;
try {
  env = loadEnvironment(IngestionEnvironment);
} catch (e) {
  process.stderr.write(JSON.stringify({ level: 'fatal', service: 'ingestion', msg: (e as Error).message }) + '\n');
  process.exit(1);
}

void runHttpService(IngestionModule, ingestionHttpOptions(env));
