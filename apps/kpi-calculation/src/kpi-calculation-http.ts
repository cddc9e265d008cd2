import { httpLimitsOf, type HttpServiceOptions } from '@sozialmonitor/platform';
import { SERVICE } from './application/lake-consumers';
import type { KpiCalculationEnvironment } from './kpi-calculation.environment';

/** How the service runs (main.ts, integration tests, benchmark). Its consumers are started by the runtime, not the Nest transport. */
export function kpiCalculationHttpOptions(env: KpiCalculationEnvironment): HttpServiceOptions {
  return {
    service: SERVICE,
    port: env.KPI_CALCULATION_PORT,
    host: env.HOST,
    limits: httpLimitsOf(env),
    openApi: {
      title: 'Sozialmonitor KPI calculation (internal)',
      description: 'Indicator values for any Stichtag, for the publication service.',
    },
  };
}
