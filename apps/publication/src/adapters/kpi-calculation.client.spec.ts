import { ConfigurationError } from '@sozialmonitor/config';
import type { PublicationEnvironment } from '../publication.environment';
import { KpiCalculationHttpSource } from './kpi-calculation.client';

const env = (extra: Partial<PublicationEnvironment>) =>
  ({ KPI_CALCULATION_URL: 'http://127.0.0.1:3003', KPI_CALCULATION_TIMEOUT_MS: 1000, NODE_ENV: 'development', ...extra }) as PublicationEnvironment;

describe('KPI_CALCULATION_TOKEN in production (issue 11, hole 7)', () => {
  it('refuses a missing or weak token in production, naming the variable, never the token', () => {
    expect(() => new KpiCalculationHttpSource(env({ NODE_ENV: 'production' }))).toThrow(ConfigurationError);
    expect(() => new KpiCalculationHttpSource(env({ NODE_ENV: 'production' }))).toThrow(/KPI_CALCULATION_TOKEN: is required in production/);
    const weak = 'x'.repeat(32);
    expect(() => new KpiCalculationHttpSource(env({ NODE_ENV: 'production', KPI_CALCULATION_TOKEN: weak }))).toThrow(
      /KPI_CALCULATION_TOKEN: has only 1 distinct values/,
    );
    try {
      new KpiCalculationHttpSource(env({ NODE_ENV: 'production', KPI_CALCULATION_TOKEN: weak }));
    } catch (e) {
      expect((e as Error).message).not.toContain(weak);
    }
  });

  it('accepts a random token in production and anything elsewhere', () => {
    expect(() => new KpiCalculationHttpSource(env({ NODE_ENV: 'production', KPI_CALCULATION_TOKEN: 'Xk3-9fQz_Lp2Vb7Rt5Wm1Nc8Hd4Gs6Ja0' }))).not.toThrow();
    expect(() => new KpiCalculationHttpSource(env({}))).not.toThrow();
  });
});
