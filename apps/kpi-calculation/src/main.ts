import 'reflect-metadata';
import { runHttpService } from '@sozialmonitor/platform';
import { kpiCalculationHttpOptions } from './kpi-calculation-http';
import { KpiCalculationEnvironment } from './kpi-calculation.environment';
import { kpiCalculationAppModule } from './kpi-calculation.module';

void runHttpService({
  service: 'kpi-calculation',
  environment: KpiCalculationEnvironment,
  module: (env) => kpiCalculationAppModule(env),
  options: (config) => kpiCalculationHttpOptions(config),
});
