// Permissions (#13 item 2): Test connection checks each right; a 403 fails a job at once, naming the
// operation; an assignee Jira refuses is kept here. Against the simulator's permission schemes.
import { JiraSimulator } from '../jira-sim';
import { configureJira, startSim } from '../support/jira';
import { activity, connectSync, getGroup, jiraWrites, linkedGroups, sleep, waitOutboxIdle } from '../support/sync';
import { createProject, eventually, startTestApp, TestApp } from '../support/test-app';
import { signIn, uiPost } from '../support/ui-session';

const ALICE = { accountId: '5b10ac8d82e05b22cc7d4ef5', name: 'alice' };
const RIGHTS = ['BROWSE_PROJECTS', 'CREATE_ISSUES', 'EDIT_ISSUES', 'TRANSITION_ISSUES', 'ASSIGN_ISSUES', 'ADD_COMMENTS', 'USER_PICKER'];
type Check = { name: string; ok: boolean; warning?: boolean; detail: string };

for (const flavour of ['cloud', 'datacenter'] as const) {
  describe(`Jira permissions (${flavour})`, () => {
    let app: TestApp;
    let sim: JiraSimulator;

    beforeAll(async () => {
      app = await startTestApp();
      sim = await startSim({ flavour });
    });
    afterAll(async () => {
      await sim?.stop();
      await app?.stop();
    });
    afterEach(() => sim.setPermissions({}));

    const testConnection = async (key: string) => (await app.admin('post', `/api/v1/projects/${key}/integrations/jira/test`).expect(200)).body as { ok: boolean; checks: Check[]; permissions: Check[] };
    const right = (body: { permissions: Check[] }, name: string) => body.permissions.find((c) => c.name === name);
    const failedJobs = (projectId: string): Promise<Array<{ kind: string; attempts: number; last_error: string }>> =>
      app.dataSource.query(`SELECT kind, attempts, last_error FROM outbox WHERE project_id = $1 AND status = 'failed'`, [projectId]);

    it('Test connection lists each right as its own check, fails on a missing one and warns when user search finds nobody', async () => {
      const { key } = await createProject(app);
      await configureJira(app, key, sim);
      const all = await testConnection(key);
      expect(all.ok).toBe(true);
      expect(all.permissions.map((c) => c.name)).toEqual(RIGHTS);
      expect(all.permissions.every((c) => c.ok && !c.warning)).toBe(true);
      expect(right(all, 'CREATE_ISSUES')?.detail).toBe('Create Issues on CHK');
      expect(sim.requests.some((r) => r.path.endsWith('/mypermissions') && r.query.permissions === RIGHTS.slice(0, 6).join(','))).toBe(true);

      sim.setPermissions({ denied: ['TRANSITION_ISSUES', 'USER_PICKER'] });
      const missing = await testConnection(key);
      expect(missing.ok).toBe(false);
      expect(missing.checks.every((c) => c.ok)).toBe(true); // the other checks are unchanged
      expect(right(missing, 'TRANSITION_ISSUES')).toEqual({
        name: 'TRANSITION_ISSUES',
        ok: false,
        detail: "the account lacks 'Transition Issues' on CHK: the bridge cannot move issues to the mapped statuses; grant it in the project's permission scheme",
      });
      expect(right(missing, 'USER_PICKER')).toMatchObject({ ok: true, warning: true, detail: expect.stringContaining('auto-mapping users by email will not work') });
      expect(missing.permissions.filter((c) => !c.ok).map((c) => c.name)).toEqual(['TRANSITION_ISSUES']);

      // A project the account cannot browse is not found: the rights are skipped, not guessed.
      sim.setPermissions({ denied: ['BROWSE_PROJECTS'] });
      const hidden = await testConnection(key);
      expect(hidden.ok).toBe(false);
      expect(hidden.checks.find((c) => c.name === 'project')?.ok).toBe(false);
      expect(hidden.permissions.map((c) => c.name)).toEqual(RIGHTS);
      for (const c of hidden.permissions) expect(c).toMatchObject({ ok: false, detail: expect.stringMatching(/^skipped: /) });
    });

    it('shows each right in the UI test-connection list', async () => {
      const { key } = await createProject(app);
      const ui = await signIn(app);
      sim.setPermissions({ denied: ['ADD_COMMENTS', 'USER_PICKER'] });
      const cloud = flavour === 'cloud';
      const html = (await uiPost(app, ui, `/ui/projects/${key}/jira/connection`, {
        apiUrl: sim.apiUrl, authType: cloud ? 'basic' : 'bearer', email: cloud ? sim.credentials.email : '', secret: cloud ? sim.credentials.apiToken : sim.credentials.pat,
        projectKey: 'CHK', issueType: 'Bug', subject: '{{title}}', labels: 'crashbridge', versionAttribute: 'version', enabled: 'on', action: 'test',
      }).expect(200)).text;
      expect(html).toContain('id="permission-checks"');
      expect(html).toMatch(/<li class="ok" data-check="CREATE_ISSUES"><strong>CREATE_ISSUES<\/strong>: Create Issues on CHK<\/li>/);
      expect(html).toMatch(/<li class="bad" data-check="ADD_COMMENTS"><strong>ADD_COMMENTS<\/strong>: the account lacks &#x27;Add Comments&#x27;/);
      expect(html).toMatch(/<li class="warn" data-check="USER_PICKER">/);
    });

    it('a 403 on create fails the ticket at once, naming the operation and quoting Jira', async () => {
      const { key } = await createProject(app);
      await configureJira(app, key, sim);
      sim.setPermissions({ denied: ['CREATE_ISSUES'] });
      sim.clearRequests();
      await app.admin('post', `/api/v1/projects/${key}/groups`).send({ fingerprint: 'no-create', title: 'No create' }).expect(201);
      const failed = await eventually(async () => (await activity(app, key, { fingerprint: 'no-create', kind: 'ticket.failed' }))[0], 20_000);
      expect(failed.detail).toBe('Ticket not created: Jira refused to create issue: Jira 403: You do not have permission to create issues in this project.');
      expect(failed.data).toMatchObject({ status: 403, operation: 'create issue' });
      await sleep(1_000);
      expect(sim.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/issue'))).toHaveLength(1);
    });

    it('a 403 on assign fails the sync job once, with an activity entry; the failed row keeps Jira\'s answer after the right is restored', async () => {
      const w = await connectSync(app, sim);
      const keys = await linkedGroups(app, w.key, sim, ['fp-assign']);
      const issueKey = keys.get('fp-assign')!;
      await waitOutboxIdle(app, w.projectId);
      sim.setPermissions({ denied: ['ASSIGN_ISSUES'] });
      const before = sim.requests.length;
      await app.admin('patch', `/api/v1/projects/${w.key}/groups/fp-assign`).send({ assignee: 'alice@acme.com' }).expect(200);
      const entry = await eventually(async () => (await activity(app, w.key, { fingerprint: 'fp-assign', kind: 'jira.permission-missing' }))[0], 20_000);
      expect(entry.detail).toBe(`Jira refused to assign issue ${issueKey}: Jira 403: You do not have permission to assign issues.`);
      expect(entry.data).toMatchObject({ operation: 'assign issue', status: 403 });
      await waitOutboxIdle(app, w.projectId);
      const failed = await failedJobs(w.projectId);
      expect(failed).toEqual([{ kind: 'jira.sync', attempts: 1, last_error: entry.detail }]);

      sim.setPermissions({});
      await sleep(1_000);
      expect(jiraWrites(sim, { key: issueKey }, before).assignments).toHaveLength(1); // no retries
      expect(await failedJobs(w.projectId)).toEqual(failed);
      expect((await getGroup(app, w.key, 'fp-assign')).assignee).toBe('alice@acme.com');
    });

    it('keeps an assignee Jira refuses, says so in the activity log and does not retry', async () => {
      const w = await connectSync(app, sim);
      const keys = await linkedGroups(app, w.key, sim, ['fp-unassignable']);
      const issueKey = keys.get('fp-unassignable')!;
      await waitOutboxIdle(app, w.projectId);
      sim.setPermissions({ unassignable: [ALICE.accountId, ALICE.name] });
      const before = sim.requests.length;
      await app.admin('patch', `/api/v1/projects/${w.key}/groups/fp-unassignable`).send({ assignee: 'alice@acme.com' }).expect(200);
      const entry = await eventually(async () => (await activity(app, w.key, { fingerprint: 'fp-unassignable', kind: 'jira.assign-rejected' }))[0], 20_000);
      expect(entry.detail).toBe(
        `Jira refused 'alice@acme.com' as assignee of ${issueKey} (User '${flavour === 'cloud' ? 'Alice' : ALICE.name}' cannot be assigned issues.); the assignee here was kept and the Jira assignee left as it is`,
      );
      await waitOutboxIdle(app, w.projectId);
      await sleep(500);
      expect(jiraWrites(sim, { key: issueKey }, before).assignments).toHaveLength(1);
      expect(await failedJobs(w.projectId)).toEqual([]);
      expect((await getGroup(app, w.key, 'fp-unassignable')).assignee).toBe('alice@acme.com');
      expect(sim.getIssue(issueKey)!.fields.assignee ?? null).toBeNull();
    });
  });
}
