import 'reflect-metadata';
import { loadEnvironment } from '@sozialmonitor/config';
import { runHttpService } from '@sozialmonitor/platform';
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

void runHttpService(IngestionModule, {
  service: 'ingestion',
  port: env.INGESTION_PORT,
  host: env.HOST,
  openApi: { title: 'Sozialmonitor ingestion', description: 'Deliveries of source records (JSON, NDJSON, CSV): validated, sealed and published to the raw topic.' },
});
