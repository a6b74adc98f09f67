import { JiraSimulator } from '../jira-sim';
import { ticketMarker } from '@app/modules/tickets/creation/marker';
import { configureJira, issuesWithLabel, startSim } from '../support/jira';
import { createProject, eventually, startTestApp, TestApp } from '../support/test-app';

/**
 * The outbox with a real job, ticket.create against the Jira simulator: a row runs
 * end to end, rows a crashed process left behind run when the service comes back,
 * a row still held by a live worker is left alone, an unknown kind fails.
 */
describe('outbox recovery and persistence across restarts', () => {
  let app: TestApp;
  let sim: JiraSimulator;
  beforeAll(async () => {
    sim = await startSim({ flavour: 'cloud' });
  });
  afterAll(async () => {
    await app?.stop();
    await sim?.stop();
  });

  const group = (key: string, fp: string) => app.admin('get', `/api/v1/projects/${key}/groups/${fp}`).expect(200).then((r) => r.body);

  it('runs a job end to end, keeps data across a restart and runs jobs left behind by a crash', async () => {
    app = await startTestApp();
    const { key } = await createProject(app);
    // No automatic tickets: the jobs below are the only ones.
    await configureJira(app, key, sim, { createRules: { onNewGroup: false, minCount: 1, maxTicketsPerHour: 100 } });
    for (const fp of ['survivor', 'orphan-1', 'orphan-2']) {
      await app.admin('post', `/api/v1/projects/${key}/groups`).send({ fingerprint: fp, count: 4 }).expect(201);
    }
    const [{ id: projectId }] = await app.dataSource.query(`SELECT id FROM projects WHERE key = $1`, [key]);
    const groupId = async (fp: string) =>
      (await app.dataSource.query(`SELECT id FROM error_groups WHERE fingerprint = $1 AND project_id = $2`, [fp, projectId]))[0].id as string;

    // End to end: asked for, queued in the outbox, created in Jira, linked, row done.
    await app.admin('post', `/api/v1/projects/${key}/groups/survivor/ticket`).send({}).expect(202);
    const ticket = await eventually(async () => (await group(key, 'survivor')).ticket);
    expect(issuesWithLabel(sim, ticketMarker(key, 'survivor')).map((i) => i.key)).toEqual([ticket.key]);
    const survivorId = await groupId('survivor');
    await eventually(async () => (await app.dataSource.query(`SELECT 1 FROM outbox WHERE kind = 'ticket.create' AND payload->>'groupId' = $1 AND status = 'done'`, [survivorId])).length > 0);

    // What a crash leaves: a job claimed by a worker that died (lock expired), and
    // one committed but never handed over.
    await app.dataSource.query(
      `INSERT INTO outbox (project_id, kind, payload, status, attempts, locked_until)
       VALUES ($1, 'ticket.create', $2, 'processing', 1, now() - interval '1 second'),
              ($1, 'ticket.create', $3, 'pending', 0, NULL)`,
      [projectId, JSON.stringify({ groupId: await groupId('orphan-1'), auto: false }), JSON.stringify({ groupId: await groupId('orphan-2'), auto: false })],
    );
    const reuse = { databaseUrl: app.config.databaseUrl, dataDir: app.config.dataDir, queuePrefix: app.config.queuePrefix };
    await app.stop({ keepData: true });

    app = await startTestApp({ reuse });
    expect(await group(key, 'survivor')).toMatchObject({ count: 4, ticket: { key: ticket.key } });
    await eventually(async () => {
      const rows: Array<{ status: string }> = await app.dataSource.query(
        `SELECT status FROM outbox WHERE kind = 'ticket.create' AND project_id = $1 AND payload->>'groupId' <> $2`,
        [projectId, survivorId],
      );
      return rows.length === 2 && rows.every((r) => r.status === 'done');
    }, 20_000);
    for (const fp of ['orphan-1', 'orphan-2']) {
      const issues = issuesWithLabel(sim, ticketMarker(key, fp));
      expect({ fp, issues: issues.length }).toEqual({ fp, issues: 1 });
      expect((await group(key, fp)).ticket).toMatchObject({ key: issues[0].key });
    }
  });

  it('does not run a job whose lock is still held by a live worker', async () => {
    const { key } = await createProject(app);
    await app.admin('post', `/api/v1/projects/${key}/groups`).send({ fingerprint: 'held' }).expect(201);
    const [{ id: projectId, group_id: groupId }] = await app.dataSource.query(
      `SELECT p.id, g.id AS group_id FROM projects p JOIN error_groups g ON g.project_id = p.id WHERE p.key = $1`,
      [key],
    );
    await app.dataSource.query(
      `INSERT INTO outbox (project_id, kind, payload, status, attempts, locked_until)
       VALUES ($1, 'ticket.create', $2, 'processing', 1, now() + interval '1 hour')`,
      [projectId, JSON.stringify({ groupId, auto: false })],
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
