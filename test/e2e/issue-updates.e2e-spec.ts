import { JiraSimulator } from '../jira-sim';
import { configureJira, startSim } from '../support/jira';
import { activity, waitOutboxIdle } from '../support/sync';
import { createProject, eventually, projectIdOf, startTestApp, TestApp } from '../support/test-app';
import { signIn, UiClient, uiGet, uiPost } from '../support/ui-session';

/** Issues that stay current: settings.updates (fields written on change, coalesced; milestone comments once). */
describe('issue updates', () => {
  let app: TestApp;
  let sim: JiraSimulator;
  const live = { key: '', id: '' };
  const slow = { key: '', id: '' };
  const refused = { key: '', id: '' };

  const post = (key: string, fp: string, count = 1) => app.admin('post', `/api/v1/projects/${key}/groups`).send({ fingerprint: fp, title: `Crash ${fp}`, count });
  const group = (key: string, fp: string) => app.admin('get', `/api/v1/projects/${key}/groups/${fp}`).expect(200).then((r) => r.body);
  /** A group with its Jira issue; returns the issue's key. */
  async function withTicket(key: string, fp: string): Promise<string> {
    await post(key, fp).expect(201);
    return (await eventually(async () => (await group(key, fp)).ticket, 20_000)).key;
  }
  const issue = (issueKey: string) => sim.getIssue(issueKey)!;
  const edits = (issueKey: string) => sim.requests.filter((r) => r.method === 'PUT' && r.path.endsWith(`/issue/${issue(issueKey).id}`)).length;
  const milestoneComments = (issueKey: string) => issue(issueKey).comments.filter((c) => c.body.includes('crashbridge-milestone-'));

  beforeAll(async () => {
    sim = await startSim({ flavour: 'cloud' });
    app = await startTestApp();
    const setUp = async (target: { key: string; id: string }, updates: object) => {
      target.key = (await createProject(app)).key;
      target.id = await projectIdOf(app, target.key);
      await configureJira(app, target.key, sim, { labels: 'crashbridge', updates });
    };
    await setUp(live, {
      fields: [
        { field: 'Severity score', value: '{{count}}' },
        { field: 'environment', value: 'Seen {{count}} times, last at {{lastSeen}}' },
      ],
      minIntervalMinutes: 0,
      milestones: [50, 5],
    });
    await setUp(slow, { fields: [{ field: 'customfield_10012', value: '{{count}}' }], minIntervalMinutes: 10 });
    // Jira's edit screen has no Resolution: the edit is refused with a 400 naming the field.
    await setUp(refused, { fields: [{ field: 'resolution', value: 'Fixed' }], minIntervalMinutes: 0 });
  });
  afterAll(async () => {
    await app.stop();
    await sim.stop();
  });

  it('shows the settings, milestones in order, and refuses bad ones with a 400 naming the path', async () => {
    const got = await app.admin('get', `/api/v1/projects/${live.key}/integrations/jira`).expect(200);
    expect(got.body.updates).toEqual({
      fields: [
        { field: 'Severity score', value: '{{count}}' },
        { field: 'environment', value: 'Seen {{count}} times, last at {{lastSeen}}' },
      ],
      minIntervalMinutes: 0,
      milestones: [5, 50],
    });
    const cases: Array<[object, string]> = [
      [{ fields: [{ field: 'environment', value: '{{#if count}}' }] }, 'updates.fields[0].value'],
      [{ fields: [{ field: 'project', value: 'X' }] }, 'updates.fields[0].field: project is set when the issue is created'],
      [{ fields: [{ field: 'labels', value: 'a' }, { field: 'Labels', value: 'b' }] }, 'updates.fields[1].field: the field is already written by updates.fields[0]'],
      [{ minIntervalMinutes: -1 }, 'updates.minIntervalMinutes must be an integer from 0 to 1440'],
      [{ milestones: [10, 0] }, 'updates.milestones[1] must be an integer from 1'],
      [{ milestones: [10, 10] }, 'updates.milestones[1] repeats 10'],
      [{ milestones: 'many' }, 'updates.milestones must be an array of counts'],
    ];
    for (const [updates, message] of cases) {
      const body = { apiUrl: sim.apiUrl, auth: { type: 'basic', email: sim.credentials.email, apiToken: sim.credentials.apiToken }, projectKey: 'CHK', subject: '{{title}}', updates };
      const res = await app.admin('put', `/api/v1/projects/${live.key}/integrations/jira`).send(body).expect(400);
      expect(JSON.stringify(res.body)).toContain(message);
    }
  });

  it('writes the fields when the group changes, with one edit', async () => {
    const issueKey = await withTicket(live.key, 'up-fields');
    await post(live.key, 'up-fields', 3).expect(200);
    await eventually(async () => issue(issueKey).fields.customfield_10012 === 4, 20_000);
    const g = await group(live.key, 'up-fields');
    expect(issue(issueKey).fields.environment).toBe(`Seen 4 times, last at ${g.lastSeen}`);
  });

  it('coalesces: reports within the interval make one edit, and the last state lands when the interval is over', async () => {
    const issueKey = await withTicket(slow.key, 'co-1');
    await post(slow.key, 'co-1').expect(200);
    await eventually(async () => issue(issueKey).fields.customfield_10012 === 2, 20_000);
    expect(edits(issueKey)).toBe(1);
    for (let i = 0; i < 10; i++) await post(slow.key, 'co-1', 2).expect(200);
    const groupId = String((await app.dataSource.query(`SELECT id FROM error_groups WHERE project_id = $1 AND fingerprint = 'co-1'`, [slow.id]))[0].id);
    const waiting: Array<{ n: string; later: boolean }> = await app.dataSource.query(
      `SELECT count(*) AS n, bool_and(available_at > now() + interval '9 minutes') AS later FROM outbox WHERE dedupe_key = $1 AND status = 'pending'`,
      [`jira.fields:${groupId}`],
    );
    expect(waiting[0]).toEqual({ n: '1', later: true });
    expect(edits(issueKey)).toBe(1);
    // The interval passes.
    await app.dataSource.query(`UPDATE jira_issues SET fields_written_at = fields_written_at - interval '11 minutes' WHERE project_id = $1`, [slow.id]);
    await app.dataSource.query(`UPDATE outbox SET available_at = now() WHERE dedupe_key = $1 AND status = 'pending'`, [`jira.fields:${groupId}`]);
    await eventually(async () => issue(issueKey).fields.customfield_10012 === 22, 20_000);
    await waitOutboxIdle(app, slow.id);
    expect(edits(issueKey)).toBe(2);
  });

  it('comments once per milestone crossed by concurrent reports', async () => {
    const issueKey = await withTicket(live.key, 'ms-many');
    await Promise.all(Array.from({ length: 60 }, () => post(live.key, 'ms-many').expect(200)));
    await eventually(async () => milestoneComments(issueKey).length >= 2, 20_000);
    await waitOutboxIdle(app, live.id);
    const bodies = milestoneComments(issueKey).map((c) => c.body);
    expect(bodies).toHaveLength(2);
    expect(bodies.some((b) => b.includes('occurred 5 times'))).toBe(true);
    expect(bodies.some((b) => b.includes('occurred 50 times'))).toBe(true);
    expect((await group(live.key, 'ms-many')).count).toBe(61);
  });

  it('does not post a milestone comment twice when its answer was lost', async () => {
    const issueKey = await withTicket(live.key, 'ms-lost');
    sim.faults.dropCommentResponses(1);
    await post(live.key, 'ms-lost', 4).expect(200);
    await eventually(async () => milestoneComments(issueKey).length >= 1, 20_000);
    await waitOutboxIdle(app, live.id);
    expect(milestoneComments(issueKey)).toHaveLength(1);
    const posts = sim.requests.filter((r) => r.method === 'POST' && r.path.endsWith(`/issue/${issue(issueKey).id}/comment`));
    expect(posts).toHaveLength(1);
    const runs: Array<{ attempts: number; status: string }> = await app.dataSource.query(`SELECT attempts, status FROM outbox WHERE project_id = $1 AND kind = 'jira.milestone' ORDER BY id DESC LIMIT 1`, [live.id]);
    expect(runs[0]).toEqual({ attempts: 2, status: 'done' });
  });

  it('records a field Jira refuses in the activity log and fails the update job; ticket creation still works', async () => {
    const issueKey = await withTicket(refused.key, 'rf-1');
    await post(refused.key, 'rf-1').expect(200);
    const entry = await eventually(async () => (await activity(app, refused.key, { kind: 'jira.update-failed' }))[0], 20_000);
    expect(entry.detail).toContain(`Jira issue ${issueKey} not updated`);
    expect(entry.data.errors).toHaveProperty('resolution');
    const jobs: Array<{ status: string; attempts: number }> = await app.dataSource.query(`SELECT status, attempts FROM outbox WHERE project_id = $1 AND kind = 'jira.fields'`, [refused.id]);
    expect(jobs).toEqual([{ status: 'failed', attempts: 1 }]);
    expect(await withTicket(refused.key, 'rf-2')).toMatch(/^CHK-\d+$/);
  });

  it('fails an update Jira refuses for want of a right (403) at once, naming the operation', async () => {
    const issueKey = await withTicket(live.key, 'perm-1');
    sim.setPermissions({ denied: ['EDIT_ISSUES'] });
    try {
      await post(live.key, 'perm-1').expect(200);
      const entry = await eventually(async () => (await activity(app, live.key, { fingerprint: 'perm-1', kind: 'jira.permission-missing' }))[0], 20_000);
      expect(entry.detail).toContain(issueKey);
      const jobs: Array<{ status: string; attempts: number }> = await app.dataSource.query(
        `SELECT o.status, o.attempts FROM outbox o JOIN error_groups g ON o.payload->>'groupId' = g.id::text WHERE g.fingerprint = 'perm-1' AND o.kind = 'jira.fields'`,
      );
      expect(jobs).toEqual([{ status: 'failed', attempts: 1 }]);
    } finally {
      sim.setPermissions({});
    }
  });

  it('Test connection names an update field Jira would refuse, and passes the ones it takes', async () => {
    type Check = { name: string; ok: boolean; detail: string };
    const fieldsCheck = async (key: string) =>
      ((await app.admin('post', `/api/v1/projects/${key}/integrations/jira/test`).expect(200)).body.checks as Check[]).find((c) => c.name === 'fields')!;
    expect(await fieldsCheck(refused.key)).toMatchObject({ ok: false, detail: expect.stringContaining("updates.fields[0].field: 'Resolution' (resolution) is not on the screen of Bug in CHK; Jira refuses to update it") });
    expect((await fieldsCheck(live.key)).ok).toBe(true);
  });

  it('saves the update fields, interval and milestones from the Behaviour tab, and shows a bad milestone at its field', async () => {
    const key = (await createProject(app)).key;
    await configureJira(app, key, sim);
    const ui: UiClient = await signIn(app);
    const behaviour = (overrides: Record<string, string | string[]> = {}) => ({
      syncInbound: 'on', syncOutbound: 'on', onNewGroup: 'on', minCount: '1', maxTicketsPerHour: '100', reopenJira: 'on', regressionComment: 'on',
      updateFieldName: ['Severity score', ''], updateFieldValue: ['{{count}}', ''], updateInterval: '5', updateMilestones: '1000, 100', action: 'save', ...overrides,
    });
    await uiPost(app, ui, `/ui/projects/${key}/jira/behaviour`, behaviour()).expect(303);
    const saved = await app.admin('get', `/api/v1/projects/${key}/integrations/jira`).expect(200);
    expect(saved.body.updates).toEqual({ fields: [{ field: 'Severity score', value: '{{count}}' }], minIntervalMinutes: 5, milestones: [100, 1000] });
    const page = (await uiGet(app, ui, `/ui/projects/${key}/jira?tab=behaviour`).expect(200)).text;
    expect(page).toContain('value="100, 1000"');
    const refused = (await uiPost(app, ui, `/ui/projects/${key}/jira/behaviour`, behaviour({ updateMilestones: '100, 100' })).expect(400)).text;
    expect(refused).toContain('updates.milestones[1] repeats 100');
  });
});
