import 'reflect-metadata';
import { loadEnvironment } from '@sozialmonitor/config';
import { runHttpService } from '@sozialmonitor/platform';
import { kpiCalculationHttpOptions } from './kpi-calculation-http';
import { KpiCalculationEnvironment } from './kpi-calculation.environment';
import { kpiCalculationAppModule } from './kpi-calculation.module';

// Validate before Nest starts so that a wrong value ends the process with a message naming it.
let env: KpiCalculationEnvironment;
try {
  env = loadEnvironment(KpiCalculationEnvironment);
} catch (e) {
  process.stderr.write(
    JSON.stringify({ level: 'fatal', service: 'kpi-calculation', msg: (e as Error).message }) + '\n',
  );
  process.exit(1);
}

void runHttpService(kpiCalculationAppModule(), kpiCalculationHttpOptions(env));
