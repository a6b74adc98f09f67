import { createProject, eventually, startTestApp, TestApp } from '../support/test-app';

/** Rows a crashed process left behind are run when the service comes back. */
describe('outbox recovery and persistence across restarts', () => {
  let app: TestApp;
  afterAll(() => app?.stop());

  it('keeps data across a restart and runs jobs left behind by a crash', async () => {
    app = await startTestApp();
    const { key } = await createProject(app);
    await app.admin('post', `/api/v1/projects/${key}/groups`).send({ fingerprint: 'survivor', count: 4 }).expect(201);
    const [{ id: projectId }] = await app.dataSource.query(`SELECT id FROM projects WHERE key = $1`, [key]);
    const [{ id: groupId }] = await app.dataSource.query(`SELECT id FROM error_groups WHERE fingerprint = 'survivor' AND project_id = $1`, [projectId]);
    await eventually(async () => (await app.dataSource.query(`SELECT 1 FROM outbox WHERE payload->>'groupId' = $1 AND status = 'done'`, [groupId])).length > 0);

    // What a crash leaves: a job claimed by a worker that died (lock expired), and
    // one committed but never handed over.
    await app.dataSource.query(
      `INSERT INTO outbox (project_id, kind, payload, status, attempts, locked_until)
       VALUES ($1, 'group.created', $2, 'processing', 1, now() - interval '1 second'),
              ($1, 'group.created', $3, 'pending', 0, NULL)`,
      [projectId, JSON.stringify({ groupId, fingerprint: 'survivor', note: 'orphan-1' }), JSON.stringify({ groupId, fingerprint: 'survivor', note: 'orphan-2' })],
    );
    const reuse = { databaseUrl: app.config.databaseUrl, dataDir: app.config.dataDir, queuePrefix: app.config.queuePrefix };
    await app.stop({ keepData: true });

    app = await startTestApp({ reuse });
    const group = await app.admin('get', `/api/v1/projects/${key}/groups/survivor`).expect(200);
    expect(group.body.count).toBe(4);
    await eventually(async () => {
      const rows: Array<{ status: string }> = await app.dataSource.query(`SELECT status FROM outbox WHERE payload->>'note' LIKE 'orphan-%'`);
      return rows.length === 2 && rows.every((r) => r.status === 'done');
    }, 20_000);
    const log = await app.admin('get', `/api/v1/projects/${key}/activity?fingerprint=survivor&kind=group.created`).expect(200);
    expect(log.body).toHaveLength(3);
  });

  it('does not run a job whose lock is still held by a live worker', async () => {
    const { key } = await createProject(app);
    const [{ id: projectId }] = await app.dataSource.query(`SELECT id FROM projects WHERE key = $1`, [key]);
    await app.dataSource.query(
      `INSERT INTO outbox (project_id, kind, payload, status, attempts, locked_until)
       VALUES ($1, 'group.created', '{"groupId": "0", "fingerprint": "held"}', 'processing', 1, now() + interval '1 hour')`,
      [projectId],
    );
    await new Promise((r) => setTimeout(r, 2_500));
    const rows = await app.dataSource.query(`SELECT status, attempts FROM outbox WHERE project_id = $1`, [projectId]);
    expect(rows).toEqual([{ status: 'processing', attempts: 1 }]);
  });

  it('fails a job kind nobody handles instead of retrying it forever', async () => {
    const { key } = await createProject(app);
    const [{ id: projectId }] = await app.dataSource.query(`SELECT id FROM projects WHERE key = $1`, [key]);
    await app.dataSource.query(`INSERT INTO outbox (project_id, kind, payload) VALUES ($1, 'no.such.job', '{}')`, [projectId]);
    const row = await eventually(async () => {
      const [r] = await app.dataSource.query(`SELECT status, last_error FROM outbox WHERE project_id = $1`, [projectId]);
      return r.status === 'failed' ? r : undefined;
    });
    expect(row.last_error).toContain('no handler');
  });
});
