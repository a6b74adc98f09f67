// Retention under load: while the pruning job deletes a million expired rows, ingestion keeps answering.
// No timing assertion (bench/ measures latency): the spec checks that reports sent while the run was under
// way (some rows deleted, some left) were all answered and stored.
import { MetricsService } from '@app/common/metrics/metrics.service';
import { testMode } from '../support/test-env';
import { createProject, eventually, projectIdOf, startTestApp, TestApp } from '../support/test-app';

// In embedded mode a quarter of the rows: PGlite seeded 250,000 in 10 s here (a million would take about 40 s
// on its own); a quarter, 50 batches of the same statements, keeps the spec near 15 s.
const SEEDED = testMode() === 'embedded' ? 250_000 : 1_000_000;

describe('Retention under load', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ env: { PRUNE_INTERVAL_SECONDS: '1' } });
  });
  afterAll(async () => {
    await app.stop();
  });

  const prunedJobs = async (): Promise<number> =>
    (await app.service.app.get(MetricsService).rowsPruned.get()).values.find((v) => v.labels.table === 'outbox')?.value ?? 0;

  it(`answers every report while it prunes ${SEEDED.toLocaleString('en')} finished jobs past their retention`, async () => {
    const { key, ingestToken } = await createProject(app);
    const pid = await projectIdOf(app, key);
    const before = await prunedJobs();
    await app.dataSource.query(
      `INSERT INTO outbox (project_id, kind, payload, status, attempts, created_at, available_at, finished_at)
       SELECT $1, 'jira.sync', '{"groupId": "0"}', 'done', 1, t, t, t
         FROM generate_series(1, $2::int) n, LATERAL (SELECT now() - interval '8 days' - n * interval '1 second' AS t) x`,
      [pid, SEEDED],
    );
    const left = async () => (await prunedJobs()) - before < SEEDED;
    // The run ends after the vacuum of what it deleted: reports keep coming until its row is done.
    const runDone = async (since: Date) =>
      (await app.dataSource.query(`SELECT 1 FROM outbox WHERE kind = 'retention.prune' AND status = 'done' AND finished_at >= $1`, [since])).length > 0;
    let sent = 0;
    let answeredMidRun = 0;
    const report = async () => {
      const res = await app.http().post(`/api/v1/projects/${key}/groups`).set('Authorization', `Bearer ${ingestToken}`)
        .send({ fingerprint: `during-${sent}`, title: 'Reported while pruning' });
      expect(res.status).toBe(201);
      sent++;
    };
    const deadline = Date.now() + 120_000;
    while ((await left()) && Date.now() < deadline) {
      await report();
      const deleted = (await prunedJobs()) - before;
      if (deleted > 0 && deleted < SEEDED) answeredMidRun++;
      if (answeredMidRun === 1) {
        // Another process's timer, mid-run: its run is not queued, the one under way is the only one.
        const queued = await app.dataSource.query(
          `INSERT INTO outbox (kind, payload, dedupe_key) VALUES ('retention.prune', '{}', 'retention.prune') ON CONFLICT DO NOTHING RETURNING id`);
        expect(queued).toEqual([]);
        const [{ runs }] = await app.dataSource.query(`SELECT count(*)::int AS runs FROM outbox WHERE kind = 'retention.prune' AND status = 'processing'`);
        expect(runs).toBe(1);
      }
    }
    const [{ at: allDeletedAt }] = await app.dataSource.query(`SELECT clock_timestamp() AS at`);
    while (!(await runDone(allDeletedAt)) && Date.now() < deadline) await report();
    expect(await left()).toBe(false);
    const [{ done }] = await app.dataSource.query(`SELECT count(*)::int AS done FROM outbox WHERE project_id = $1 AND status = 'done'`, [pid]);
    expect(done).toBe(0);
    expect(answeredMidRun).toBeGreaterThanOrEqual(3);
    expect((await prunedJobs()) - before).toBe(SEEDED);
    const [{ n }] = await app.dataSource.query(`SELECT count(*)::int AS n FROM error_groups WHERE project_id = $1`, [pid]);
    expect(n).toBe(sent);
  }, 150_000);

  it('ends a run at its next batch when the service shuts down, so the run never holds up the drain', async () => {
    const pid = await projectIdOf(app, (await createProject(app)).key);
    const rows = SEEDED / 5;
    const before = await prunedJobs();
    await app.dataSource.query(
      `INSERT INTO outbox (project_id, kind, payload, status, attempts, created_at, available_at, finished_at)
       SELECT $1, 'jira.sync', '{"groupId": "0"}', 'done', 1, now() - interval '8 days', now() - interval '8 days', now() - interval '8 days'
         FROM generate_series(1, $2::int)`,
      [pid, rows],
    );
    await eventually(async () => (await prunedJobs()) > before, 20_000, 5);
    await app.service.stop();
    const deleted = (await prunedJobs()) - before;
    expect(deleted).toBeGreaterThan(0);
    expect(deleted).toBeLessThan(rows);
  });
});
