import { JiraSimulator } from '../jira-sim';
import { listGroups } from '../support/groups';
import { configureJira, startSim } from '../support/jira';
import { createProject, eventually, projectIdOf, startTestApp, TestApp } from '../support/test-app';
import { testMode } from '../support/test-env';

type Run = { id: string; status: string; total: number; done: number; failed: number; skipped: number };

const LEGACY_FIELD = 'customfield_10077';

describe(`import of existing issues (${testMode()})`, () => {
  let app: TestApp;
  let sim: JiraSimulator;

  beforeAll(async () => {
    sim = await startSim({ flavour: 'cloud' });
    sim.addField({ id: LEGACY_FIELD, name: 'Legacy fingerprint', custom: true, schema: { type: 'string', custom: 'com.atlassian.jira.plugin.system.customfieldtypes:textfield', customId: 10077 } });
    app = await startTestApp();
  });
  afterAll(async () => {
    await app.stop();
    await sim.stop();
  });
  beforeEach(() => sim.faults.reset());

  /** An issue made by "another tool", straight through the simulator's REST API. */
  async function legacyIssue(fields: Record<string, unknown>): Promise<string> {
    const auth = Buffer.from(`${sim.credentials.email}:${sim.credentials.apiToken}`).toString('base64');
    const res = await fetch(`${sim.apiUrl}issue`, {
      method: 'POST',
      headers: { authorization: `Basic ${auth}`, 'content-type': 'application/json' },
      body: JSON.stringify({ fields: { project: { key: 'CHK' }, issuetype: { name: 'Bug' }, summary: 'Legacy crash', ...fields } }),
    });
    if (res.status !== 201) throw new Error(`legacy issue: ${res.status} ${await res.text()}`);
    return ((await res.json()) as { key: string }).key;
  }

  async function seed(key: string, fps: string[]): Promise<void> {
    for (const fp of fps) await app.admin('post', `/api/v1/projects/${key}/groups`).send({ fingerprint: fp, title: `Crash ${fp}`, count: 1 }).expect(201);
  }

  async function importToEnd(key: string, body: object): Promise<Run> {
    const started = await app.admin('post', `/api/v1/projects/${key}/integrations/jira/import`).send(body).expect(202);
    return eventually(async () => {
      const res = await app.admin('get', `/api/v1/projects/${key}/integrations/jira/import/${started.body.id}`).expect(200);
      return res.body.status !== 'running' ? (res.body as Run) : undefined;
    }, 30_000, 100);
  }

  const ticketOf = async (key: string) => new Map((await listGroups(app, key)).map((g) => [g.fingerprint, g.ticket?.key ?? null]));

  it('links by label, idempotent on a second run, and skips a group that has another issue', async () => {
    const { key } = await createProject(app);
    await configureJira(app, key, sim, { createRules: { onNewGroup: false } });
    await seed(key, ['imp-a1', 'imp-a2', 'imp-a3']);
    const k1 = await legacyIssue({ labels: ['batch-a', 'fp-imp-a1'] });
    const k2 = await legacyIssue({ labels: ['batch-a', 'other', 'fp-imp-a2'] });
    const k3 = await legacyIssue({ labels: ['batch-a', 'fp-imp-a3'] });
    await legacyIssue({ labels: ['batch-a', 'fp-no-such-group'] });
    await app.admin('post', `/api/v1/projects/${key}/groups/imp-a3/ticket`).send({ key: k1 }).expect(200); // imp-a3 has another issue
    const body = { jql: 'labels = "batch-a"', match: { from: 'labels', pattern: '^fp-(.+)$' } };
    expect(await importToEnd(key, body)).toMatchObject({ status: 'done', total: 4, done: 2, skipped: 1, failed: 1 });
    expect(Object.fromEntries(await ticketOf(key))).toEqual({ 'imp-a1': k1, 'imp-a2': k2, 'imp-a3': k1 });
    expect(k3).toBeTruthy();
    const again = await importToEnd(key, body);
    expect(again).toMatchObject({ status: 'done', total: 4, done: 0, skipped: 3, failed: 1 });
    expect(Object.fromEntries(await ticketOf(key))).toEqual({ 'imp-a1': k1, 'imp-a2': k2, 'imp-a3': k1 });
    const log = await app.admin('get', `/api/v1/projects/${key}/activity?kind=import.done`).expect(200);
    expect(log.body[0].detail).toBe('Import done: 0 linked, 1 failed, 3 skipped of 4');
  });

  it('links by summary and by a custom field', async () => {
    const { key } = await createProject(app);
    await configureJira(app, key, sim, { createRules: { onNewGroup: false } });
    await seed(key, ['imp-b1', 'imp-b2']);
    const bySummary = await legacyIssue({ summary: 'Crash [imp-b1] in parser', labels: ['batch-b'] });
    const byField = await legacyIssue({ labels: ['batch-c'], [LEGACY_FIELD]: 'legacy:imp-b2' });
    expect(await importToEnd(key, { jql: 'labels = "batch-b"', match: { from: 'summary', pattern: '\\[([a-z0-9-]+)\\]' } })).toMatchObject({ done: 1 });
    expect(await importToEnd(key, { jql: 'labels = "batch-c"', match: { from: LEGACY_FIELD, pattern: '^legacy:(.+)$' } })).toMatchObject({ done: 1 });
    expect(Object.fromEntries(await ticketOf(key))).toEqual({ 'imp-b1': bySummary, 'imp-b2': byField });
  });

  it('refuses a pattern that is not RE2 or has not exactly one capture group: 400 naming match.pattern', async () => {
    const { key } = await createProject(app);
    await configureJira(app, key, sim);
    for (const pattern of ['(unclosed', '^fp-.+$', '(a)(b)', '(?<=x)(y)']) {
      const res = await app.admin('post', `/api/v1/projects/${key}/integrations/jira/import`).send({ jql: 'labels = x', match: { from: 'labels', pattern } }).expect(400);
      expect({ pattern, msg: JSON.stringify(res.body.message) }).toEqual({ pattern, msg: expect.stringContaining('match.pattern') });
    }
    await app.admin('post', `/api/v1/projects/${key}/integrations/jira/import`).send({ jql: 'labels = x' }).expect(400);
    await app.admin('get', `/api/v1/projects/${key}/integrations/jira/import/424242`).expect(404);
  });

  it('adds the backlink comment once when comments go out (the default), by hand and by import', async () => {
    const { key } = await createProject(app);
    await configureJira(app, key, sim, { createRules: { onNewGroup: false } });
    await seed(key, ['imp-c1', 'imp-c2']);
    const byHand = await legacyIssue({ labels: ['batch-d'] });
    const imported = await legacyIssue({ labels: ['batch-e', 'fp-imp-c2'] });
    await app.admin('post', `/api/v1/projects/${key}/groups/imp-c1/ticket`).send({ key: byHand }).expect(200);
    await app.admin('post', `/api/v1/projects/${key}/groups/imp-c1/ticket`).send({ key: byHand }).expect(200); // the same link again
    await importToEnd(key, { jql: 'labels = "batch-e"', match: { from: 'labels', pattern: '^fp-(.+)$' } });
    await importToEnd(key, { jql: 'labels = "batch-e"', match: { from: 'labels', pattern: '^fp-(.+)$' } });
    const backlinks = (k: string) => sim.getIssue(k)!.comments.filter((c) => JSON.stringify(c.body).includes('crashbridge-link'));
    const projectId = await projectIdOf(app, key);
    // Every backlink job has ended (none left to post a second comment).
    await eventually(async () => {
      const open: Array<{ n: number }> = await app.dataSource.query(
        `SELECT count(*)::int AS n FROM outbox WHERE kind = 'jira.backlink' AND project_id = $1 AND status NOT IN ('done', 'failed')`, [projectId]);
      return open[0].n === 0;
    }, 15_000, 100);
    expect([backlinks(byHand).length, backlinks(imported).length]).toEqual([1, 1]);
    expect(JSON.stringify(backlinks(imported)[0].body)).toContain('imp-c2');
    // A link back to the group's page.
    expect(JSON.stringify(backlinks(imported)[0].body)).toContain(`${app.config.publicUrl}/ui/projects/${key}/groups/imp-c2`);
  });

  it('adds no backlink comment when comments.outbound is off', async () => {
    const { key } = await createProject(app);
    await configureJira(app, key, sim, { createRules: { onNewGroup: false }, comments: { inbound: true, outbound: false } });
    await seed(key, ['imp-d1']);
    const issueKey = await legacyIssue({ labels: ['batch-f'] });
    await app.admin('post', `/api/v1/projects/${key}/groups/imp-d1/ticket`).send({ key: issueKey }).expect(200);
    const jobs: Array<{ n: number }> = await app.dataSource.query(`SELECT count(*)::int AS n FROM outbox WHERE kind = 'jira.backlink' AND project_id = $1`, [await projectIdOf(app, key)]);
    expect(jobs[0].n).toBe(0);
  });
});
