// /metrics against the Grafana dashboard (every name it queries is exposed), and the figures
// added for it: Jira call latency by operation, webhook lag, credentials per project, and a
// worker's own /metrics listener (METRICS_PORT).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { JiraSimulator } from '../jira-sim';
import { WorkerMetricsServer } from '@app/modules/operations/worker-metrics.server';
import { startSim } from '../support/jira';
import { crashbridgeNamesIn, dashboardExpressions, familyOf, metricFamilies } from '../support/prometheus-names';
import { connectSync, linkedGroups, settleWebhooks } from '../support/sync';
import { startTestApp, TestApp } from '../support/test-app';
import { testMode } from '../support/test-env';

const DASHBOARD = join(__dirname, '../../deploy/grafana/crashbridge.json');

describe('metrics', () => {
  let app: TestApp;
  let sim: JiraSimulator;
  beforeAll(async () => {
    [app, sim] = await Promise.all([startTestApp(), startSim({ flavour: 'cloud' })]);
  });
  afterAll(async () => {
    await sim?.stop();
    await app?.stop();
  });

  const scrape = async () => (await app.http().get('/metrics').expect(200)).text;

  it('exposes every crashbridge_* metric the Grafana dashboard queries', async () => {
    const families = metricFamilies(await scrape());
    const names = new Set(dashboardExpressions(JSON.parse(readFileSync(DASHBOARD, 'utf8'))).flatMap(crashbridgeNamesIn));
    expect(names.size).toBeGreaterThan(10);
    const missing = [...names].filter((n) => familyOf(n, families) === undefined);
    expect(missing).toEqual([]);
  });

  it('times Jira calls by operation, observes webhook lag, and reports credentials per project', async () => {
    const project = await connectSync(app, sim);
    const links = await linkedGroups(app, project.key, sim, ['metrics-fp']);
    sim.transition(links.get('metrics-fp')!, 'Done');
    await settleWebhooks(app, sim, project.projectId);

    const text = await scrape();
    expect(text).toMatch(/^crashbridge_jira_call_duration_seconds_count\{operation="readIssue",outcome="ok"\} [1-9]/m);
    expect(text).not.toMatch(/crashbridge_jira_call_duration_seconds_count\{operation="[^"]*CHK-/);
    expect(text).toMatch(/^crashbridge_jira_webhook_lag_seconds_count [1-9]/m);
    expect(text).toContain(`crashbridge_jira_project_credentials_failing{project="${project.key}"} 0`);

    await app.dataSource.query(`UPDATE jira_integrations SET credentials_failing_since = now() WHERE project_id = $1`, [project.projectId]);
    try {
      const failing = await scrape();
      expect(failing).toContain(`crashbridge_jira_project_credentials_failing{project="${project.key}"} 1`);
      expect(failing).toMatch(/^crashbridge_jira_credentials_failing [1-9]/m);
    } finally {
      await app.dataSource.query(`UPDATE jira_integrations SET credentials_failing_since = NULL WHERE project_id = $1`, [project.projectId]);
    }
  });
});

// A worker needs PostgreSQL (ROLE=worker is refused without DATABASE_URL).
const postgresOnly = testMode() === 'postgres' ? describe : describe.skip;

postgresOnly('a worker with METRICS_PORT', () => {
  let worker: TestApp;
  beforeAll(async () => {
    worker = await startTestApp({ env: { ROLE: 'worker', METRICS_PORT: '0' } });
  });
  afterAll(() => worker?.stop());

  it('serves /metrics there, and nothing else', async () => {
    const port = worker.service.app.get(WorkerMetricsServer).port;
    expect(port).toBeGreaterThan(0);
    const res = await fetch(`http://127.0.0.1:${port}/metrics`);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toContain('# TYPE crashbridge_jobs_total counter');
    expect(text).toMatch(/^crashbridge_queue_lag_seconds \d/m);
    expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(404);
  });
});
