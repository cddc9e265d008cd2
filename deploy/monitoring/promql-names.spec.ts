import { exportedNames, metricNamesOf, monitoringQueries } from './promql-names';

describe('metric names of PromQL queries', () => {
  it('finds metrics, not functions, keywords, labels, durations or strings', () => {
    expect(
      metricNamesOf(
        'histogram_quantile(0.95, sum by (le, group) (rate(a_seconds_bucket{x="y z"}[5m]))) > b offset 5m and on (group) c or vector(0)',
      ).sort(),
    ).toEqual(['a_seconds_bucket', 'b', 'c']);
    expect(metricNamesOf('up{job=~"a|b"} == 0')).toEqual(['up']);
  });

  it('reads histogram series names from an exposition', () => {
    const names = exportedNames('# HELP h x\n# TYPE h histogram\n# TYPE g gauge\ng 1\n');
    expect([...names].sort()).toEqual(['g', 'h', 'h_bucket', 'h_count', 'h_sum']);
  });

  it('every dashboard panel and alert has a query naming at least one metric', () => {
    const queries = monitoringQueries();
    expect(queries.length).toBeGreaterThan(20);
    for (const q of queries) expect({ where: q.where, names: metricNamesOf(q.expr).length > 0 }).toEqual({ where: q.where, names: true });
  });
});
