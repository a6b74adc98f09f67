import { crashbridgeNamesIn, dashboardExpressions, familyOf, metricFamilies } from '../../support/prometheus-names';

const EXPOSITION = `# HELP crashbridge_jobs_total Outbox jobs
# TYPE crashbridge_jobs_total counter
crashbridge_jobs_total{kind="a",outcome="done"} 1
# HELP crashbridge_http_request_duration_seconds HTTP request duration
# TYPE crashbridge_http_request_duration_seconds histogram
# HELP crashbridge_queue_lag_seconds lag
# TYPE crashbridge_queue_lag_seconds gauge
# HELP crashbridge_gc_summary a summary
# TYPE crashbridge_gc_summary summary
`;

describe('Prometheus names in the dashboard check', () => {
  const families = metricFamilies(EXPOSITION);

  it('reads each family and its type', () => {
    expect([...families]).toEqual([
      ['crashbridge_jobs_total', 'counter'],
      ['crashbridge_http_request_duration_seconds', 'histogram'],
      ['crashbridge_queue_lag_seconds', 'gauge'],
      ['crashbridge_gc_summary', 'summary'],
    ]);
  });

  it('takes the names of an expression, not label values', () => {
    expect(crashbridgeNamesIn('histogram_quantile(0.99, sum by (le) (rate(crashbridge_http_request_duration_seconds_bucket{route="crashbridge_x"}[5m])))')).toEqual([
      'crashbridge_http_request_duration_seconds_bucket',
    ]);
    expect(crashbridgeNamesIn('crashbridge_a / crashbridge_b + crashbridge_a')).toEqual(['crashbridge_a', 'crashbridge_b']);
  });

  it('strips a histogram series suffix, and only that', () => {
    expect(familyOf('crashbridge_http_request_duration_seconds_bucket', families)).toBe('crashbridge_http_request_duration_seconds');
    expect(familyOf('crashbridge_http_request_duration_seconds_count', families)).toBe('crashbridge_http_request_duration_seconds');
    expect(familyOf('crashbridge_jobs_total', families)).toBe('crashbridge_jobs_total');
    expect(familyOf('crashbridge_gc_summary_sum', families)).toBe('crashbridge_gc_summary');
    expect(familyOf('crashbridge_gc_summary_bucket', families)).toBeUndefined();
    expect(familyOf('crashbridge_queue_lag_seconds_count', families)).toBeUndefined();
    expect(familyOf('crashbridge_jobs', families)).toBeUndefined();
  });

  it('finds the expressions of panels nested in rows', () => {
    const dashboard = { panels: [{ targets: [{ expr: 'a' }] }, { type: 'row', panels: [{ targets: [{ expr: 'b' }, {}] }] }] };
    expect(dashboardExpressions(dashboard)).toEqual(['a', 'b']);
  });
});
