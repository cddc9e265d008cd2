import 'reflect-metadata';
import { loadEnvironment } from '@sozialmonitor/config';
import { runHttpService } from '@sozialmonitor/platform';
import { anonymizationHttpOptions } from './anonymization-http';
import { AnonymizationEnvironment } from './anonymization.environment';
import { AnonymizationModule } from './anonymization.module';

// Validate before Nest starts so that a wrong value ends the process with a message naming it.
let env: AnonymizationEnvironment;
try {
  env = loadEnvironment(AnonymizationEnvironment);
} catch (e) {
  process.stderr.write(JSON.stringify({ level: 'fatal', service: 'anonymization', msg: (e as Error).message }) + '\n');
  process.exit(1);
}

void runHttpService(AnonymizationModule.forRoot(), anonymizationHttpOptions(env));
