import 'reflect-metadata';
import { loadEnvironment } from '@sozialmonitor/config';
import { runHttpService } from '@sozialmonitor/platform';
import { PublicationEnvironment } from './publication.environment';
import { publicationRootModule, publicationServiceOptions } from './publication.module';

// Validate before Nest starts so that a wrong value ends the process with a message naming it.
let env: PublicationEnvironment;
try {
  env = loadEnvironment(PublicationEnvironment);
} catch (e) {
  process.stderr.write(JSON.stringify({ level: 'fatal', service: 'publication', msg: (e as Error).message }) + '\n');
  process.exit(1);
}

void runHttpService(publicationRootModule(), publicationServiceOptions(env));
