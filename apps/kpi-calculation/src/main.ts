import 'reflect-metadata';
import { runHttpService } from '@sozialmonitor/platform';
import { KpiCalculationEnvironment, SERVICE } from './kpi-calculation.environment';
import { KpiCalculationModule } from './kpi-calculation.module';

void runHttpService({
  service: SERVICE,
  environment: KpiCalculationEnvironment,
  module: (env) => KpiCalculationModule.forRoot(env),
  options: (config) => KpiCalculationModule.httpOptions(config),
});
