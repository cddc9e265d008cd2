import type { KpiValuePayload } from '@sozialmonitor/contracts';

/** A KPI value as the topic carries it, for unit tests: Elmshorn's births, 2023, unless `over` says otherwise. */
export function kpiPayload(over: Partial<KpiValuePayload> & { code?: string } = {}): KpiValuePayload {
  const { code = '01056015', ...rest } = over;
  return {
    indicatorId: 'births_per_1000',
    indicatorVersion: 1,
    region: { code, level: 'municipality', name: code === '01056015' ? 'Elmshorn, Stadt' : '' },
    period: '2023',
    unit: '‰',
    value: 8.41,
    suppressed: false,
    comparison: { county: 8.12, state: 7.9, germany: 8.2 },
    computedAt: '2026-01-10T10:00:00.000Z',
    ...rest,
  };
}
