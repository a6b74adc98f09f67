// Failed work you can see and retry (issue #13, item 7): a job Jira refuses for good is listed
// under …/integrations/jira/failures, and once the cause is fixed it runs again, once, from the
// API or the UI.
import { JiraSimulator } from '../jira-sim';
import { issuesWithLabel, startSim } from '../support/jira';
import { connectSync, getGroup, SyncProject, waitOutboxIdle, activity, linkedGroups, settleWebhooks } from '../support/sync';
import { eventually, startTestApp, TestApp, createProject } from '../support/test-app';
import { signIn, UiClient, uiGet, uiPost } from '../support/ui-session';
import { ticketMarker } from '@app/modules/tickets/creation/marker';

type Failure = { id: string; kind: string; what: string; group: { fingerprint: string } | null; issue: { key: string } | null; error: string; attempts: number; failedAt: string };
const ALICE = '5b10ac8d82e05b22cc7d4ef5'; // the simulator's Alice, found by her email

describe('failed work: listed, retried once', () => {
  let app: TestApp;
  let ui: UiClient;
  const sims: JiraSimulator[] = [];
  const sim = async () => {
    const s = await startSim({ flavour: 'cloud' });
    sims.push(s);
    return s;
  };
  beforeAll(async () => {
    app = await startTestApp();
    ui = await signIn(app);
  });
  afterAll(async () => {
    await app.stop();
    for (const s of sims) await s.stop();
  });

  const failures = async (key: string): Promise<Failure[]> => (await app.admin('get', `/api/v1/projects/${key}/integrations/jira/failures`).expect(200)).body;
  const requestTicket = async (w: SyncProject, fp: string) => {
    await app.admin('post', `/api/v1/projects/${w.key}/groups`).send({ fingerprint: fp, title: `Crash ${fp}` }).expect(201);
    await app.admin('post', `/api/v1/projects/${w.key}/groups/${fp}/ticket`).send({}).expect(202);
  };
  /** The failure of a group, once it is listed. */
  const failureOf = (key: string, fp: string) =>
    eventually(async () => (await failures(key)).find((x) => x.group?.fingerprint === fp), 20_000);
  const issuesOf = (s: JiraSimulator, w: SyncProject, fp: string) => issuesWithLabel(s, ticketMarker(w.key, fp));

  it('lists a creation Jira refused, and a retry from the API after the fix creates the ticket once', async () => {
    const s = await sim();
    const w = await connectSync(app, s, {}, { register: false });
    s.setPermissions({ denied: ['CREATE_ISSUES'] });
    await requestTicket(w, 'denied');
    const f = await failureOf(w.key, 'denied');
    expect(f).toMatchObject({ kind: 'ticket.create', what: 'create', group: { fingerprint: 'denied' }, issue: null, attempts: 1, error: expect.stringContaining('permission') });
    expect(new Date(f.failedAt).getTime()).toBeGreaterThan(0);
    expect(await getGroup(app, w.key, 'denied')).toMatchObject({ ticket: null });

    s.setPermissions({});
    const [first, second] = await Promise.all([
      app.admin('post', `/api/v1/projects/${w.key}/integrations/jira/failures/${f.id}/retry`),
      app.admin('post', `/api/v1/projects/${w.key}/integrations/jira/failures/${f.id}/retry`),
    ]);
    expect([first.status, second.status].sort()).toEqual([202, 409]);
    const ticket = await eventually(async () => (await getGroup(app, w.key, 'denied')).ticket, 20_000);
    await waitOutboxIdle(app, w.projectId);
    expect(issuesOf(s, w, 'denied').map((i) => i.key)).toEqual([ticket.key]);
    expect(await failures(w.key)).toEqual([]);
    // Not failed any more (done): nothing to retry.
    const again = await app.admin('post', `/api/v1/projects/${w.key}/integrations/jira/failures/${f.id}/retry`).expect(409);
    expect(again.body.code).toBe('FAILURE_NOT_RETRYABLE');
    expect((await activity(app, w.key, { kind: 'failure.retried' })).length).toBe(1);
  });

  it('answers 404 for an unknown job and for another project’s job', async () => {
    const s = await sim();
    const w = await connectSync(app, s, {}, { register: false });
    const other = await createProject(app);
    s.setPermissions({ denied: ['CREATE_ISSUES'] });
    await requestTicket(w, 'mine');
    const f = await failureOf(w.key, 'mine');
    await app.admin('post', `/api/v1/projects/${other.key}/integrations/jira/failures/${f.id}/retry`).expect(404);
    await app.admin('post', `/api/v1/projects/${w.key}/integrations/jira/failures/99999999/retry`).expect(404);
    await app.admin('post', `/api/v1/projects/${w.key}/integrations/jira/failures/abc/retry`).expect(404);
    expect(await failures(other.key)).toEqual([]);
  });

  it('lists a refused assignment with its issue; Retry all runs every failure once', async () => {
    const s = await sim();
    const w = await connectSync(app, s);
    const keys = await linkedGroups(app, w.key, s, ['assign-me']);
    await settleWebhooks(app, s, w.projectId);
    s.setPermissions({ denied: ['ASSIGN_ISSUES', 'CREATE_ISSUES'] });
    await app.admin('patch', `/api/v1/projects/${w.key}/groups/assign-me`).send({ assignee: 'alice@acme.com' }).expect(200);
    await requestTicket(w, 'create-me');
    const listed = await eventually(async () => {
      const l = await failures(w.key);
      return l.length === 2 ? l : undefined;
    }, 20_000);
    expect(listed.map((x) => [x.what, x.group?.fingerprint, x.issue?.key ?? null]).sort()).toEqual([
      ['create', 'create-me', null],
      ['sync', 'assign-me', keys.get('assign-me')],
    ]);

    s.setPermissions({});
    const res = await app.admin('post', `/api/v1/projects/${w.key}/integrations/jira/failures/retry`).expect(202);
    expect(res.body.retried.sort()).toEqual(listed.map((x) => x.id).sort());
    await eventually(async () => (s.getIssue(keys.get('assign-me')!)!.fields.assignee as { accountId?: string } | null)?.accountId === ALICE, 20_000);
    await eventually(async () => (await getGroup(app, w.key, 'create-me')).ticket, 20_000);
    await waitOutboxIdle(app, w.projectId);
    expect(issuesOf(s, w, 'create-me')).toHaveLength(1);
    expect(await failures(w.key)).toEqual([]);
    expect((await app.admin('post', `/api/v1/projects/${w.key}/integrations/jira/failures/retry`).expect(202)).body).toEqual({ retried: [], skipped: [] });
  });

  it('shows failures in the UI and retries one from its form', async () => {
    const s = await sim();
    const w = await connectSync(app, s, {}, { register: false });
    s.setPermissions({ denied: ['CREATE_ISSUES'] });
    await requestTicket(w, 'ui-retry');
    const f = await failureOf(w.key, 'ui-retry');
    const pagePath = `/ui/projects/${w.key}/jira/failures`;
    const before = await uiGet(app, ui, pagePath).expect(200);
    expect(before.text).toContain(`data-failure="${f.id}"`);
    expect(before.text).toContain('ui-retry');
    expect(before.text).toContain('Retry all');
    expect((await uiGet(app, ui, `/ui/projects/${w.key}/jira`).expect(200)).text).toContain(pagePath);

    s.setPermissions({});
    const posted = await uiPost(app, ui, `${pagePath}/${f.id}/retry`, {}).expect(303);
    expect(posted.headers.location).toBe(`${pagePath}?retried=1`);
    const ticket = await eventually(async () => (await getGroup(app, w.key, 'ui-retry')).ticket, 20_000);
    await waitOutboxIdle(app, w.projectId);
    expect(issuesOf(s, w, 'ui-retry').map((i) => i.key)).toEqual([ticket.key]);
    const after = await uiGet(app, ui, `${pagePath}?retried=1`).expect(200);
    expect(after.text).toContain('1 failed job queued again.');
    expect(after.text).toContain('No failed work.');
    // The same form again: the job is not failed any more, said on the page.
    const twice = await uiPost(app, ui, `${pagePath}/${f.id}/retry`, {}).expect(409);
    expect(twice.text).toContain('only failed work can be retried');
    // Without the CSRF token, nothing happens.
    await uiPost(app, ui, `${pagePath}/retry`, {}, null).expect(403);
  });
});
