import { LineChart } from 'echarts/charts';
import { AriaComponent, GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import type { Value } from './api';
import { formatNumber } from './format';

echarts.use([LineChart, GridComponent, TooltipComponent, LegendComponent, AriaComponent, SVGRenderer]);

let chart: echarts.ECharts | undefined;

/** The municipality's series since the first year beside the county, the state and Germany. */
export function drawTrend(
  host: HTMLElement,
  name: string,
  values: Value[],
  county: Value[],
  decimals: number,
  unit: string,
): void {
  chart ??= echarts.init(host, undefined, { renderer: 'svg' });
  if (chart.getDom() !== host) {
    chart.dispose();
    chart = echarts.init(host, undefined, { renderer: 'svg' });
  }
  const periods = values.map((v) => v.period);
  const countyBy = new Map(county.map((v) => [v.period, v.value]));
  const series = [
    { name, data: values.map((v) => v.value), lineStyle: { width: 3 }, color: '#1d4f91' },
    { name: 'Kreis Pinneberg', data: periods.map((p) => countyBy.get(p) ?? null), color: '#b35806' },
    {
      name: 'Schleswig-Holstein',
      data: values.map((v) => v.comparison.state),
      lineStyle: { type: 'dashed' as const },
      color: '#4d4d4d',
    },
    {
      name: 'Deutschland',
      data: values.map((v) => v.comparison.germany),
      lineStyle: { type: 'dotted' as const },
      color: '#7b3294',
    },
  ];
  chart.setOption(
    {
      aria: {
        enabled: true,
        label: { description: `Zeitreihe ${name} im Vergleich zu Kreis, Land und Bund (${unit})` },
      },
      animation: false,
      tooltip: {
        trigger: 'axis',
        valueFormatter: (v: unknown) => formatNumber(typeof v === 'number' ? v : null, decimals),
      },
      legend: { top: 0, textStyle: { color: '#1a1a1a' } },
      grid: { left: 50, right: 16, top: 40, bottom: 30 },
      xAxis: { type: 'category', data: periods, axisLabel: { color: '#1a1a1a' } },
      yAxis: { type: 'value', scale: true, name: unit, axisLabel: { color: '#1a1a1a' } },
      series: series.map((s) => ({ type: 'line', connectNulls: false, symbolSize: 6, ...s })),
    },
    true,
  );
}

export function resizeTrend(): void {
  chart?.resize();
}
