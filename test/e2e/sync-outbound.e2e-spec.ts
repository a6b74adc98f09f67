// Outbound sync (a change here → Jira), the sync switches, and reconciliation of missed webhooks.
import { JiraSimulator } from '../jira-sim';
import {
  activity, connectSync, getGroup, jiraWrites, linkedGroups, settleWebhooks, sleep, waitOutboxIdle,
} from '../support/sync';
import { eventually, startTestApp, TestApp } from '../support/test-app';
import { simulatorsPerTest } from '../support/jira';

const ALICE = '5b10ac8d82e05b22cc7d4ef5';
const BOB = '5b10ac8d82e05b22cc7d4ef6'; // hides his email on Cloud: only a mapping finds him

describe('outbound sync and reconciliation', () => {
  let app: TestApp;
  const sim = simulatorsPerTest();

  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => {
    await app.stop();
  });

  async function world(s: JiraSimulator, settings: Record<string, unknown> = {}, fps = ['fp-0']) {
    const p = await connectSync(app, s, settings);
    const keys = await linkedGroups(app, p.key, s, fps);
    if (s.webhookMode === 'manual') s.pendingWebhooks.splice(0);
    await settleWebhooks(app, s, p.projectId);
    const issue = (fp: string) => s.getIssue(keys.get(fp)!)!;
    return { ...p, keys, issue, key0: keys.get(fps[0])! };
  }
  const patch = (key: string, fp: string, body: Record<string, unknown>) => app.admin('patch', `/api/v1/projects/${key}/groups/${fp}`).send(body).expect(200);
  const statusOf = (s: JiraSimulator, key: string) => (s.getIssue(key)!.fields.status as { name: string }).name;

  it('transitions the issue to the primary status of the new state; the webhook Jira sends back causes no further Jira call', async () => {
    const s = await sim('cloud');
    // Two Jira statuses mean resolved; "Done" is the primary one (listed second on purpose).
    const w = await world(s, { statusMapping: [{ jiraStatus: "Won't Do", state: 'resolved' }, { jiraStatus: 'Done', state: 'resolved', primary: true }] });
    const before = s.requests.length;
    await patch(w.key, 'fp-0', { state: 'resolved' });
    await eventually(async () => statusOf(s, w.key0) === 'Done');
    await waitOutboxIdle(app, w.projectId);
    // The echo: delivered (answered 202) and its job processed …
    await s.webhooksIdle();
    const echo = s.deliveredWebhooks.filter((d) => (d.event.body as any).issue?.key === w.key0 && (d.event.body as any).changelog?.items?.some((i: any) => i.field === 'status'));
    expect(echo.map((d) => d.status)).toEqual([202]);
    const afterEcho = s.requests.length;
    await waitOutboxIdle(app, w.projectId);
    await sleep(300);
    await waitOutboxIdle(app, w.projectId);
    // … and nothing was sent to Jira because of it.
    expect(s.requests.slice(afterEcho).filter((r) => r.method === 'POST' || r.method === 'PUT')).toEqual([]);
    const writes = jiraWrites(s, w.issue('fp-0'), before);
    expect(writes.writes).toHaveLength(1);
    expect(writes.transitions[0].body).toEqual({ transition: { id: '31' } }); // the transition to "Done"
    expect(await getGroup(app, w.key, 'fp-0')).toMatchObject({ state: 'resolved', ticket: { status: 'Done' } });
    const log = await activity(app, w.key, { fingerprint: 'fp-0' });
    expect(log.filter((a) => a.kind === 'jira.transitioned')).toHaveLength(1);
    expect(log.filter((a) => a.kind === 'state.changed').map((a) => a.source)).toEqual(['api']);

    // Muted has no mapped status and no category: nothing to transition to, and the activity says so.
    await patch(w.key, 'fp-0', { state: 'muted' });
    const missing = await eventually(async () => (await activity(app, w.key, { fingerprint: 'fp-0', kind: 'jira.transition-missing' }))[0]);
    expect(missing.detail).toContain('muted');
    expect(statusOf(s, w.key0)).toBe('Done');
  });

  it('assigns by accountId on Cloud: found by email, or through the user mapping', async () => {
    const s = await sim('cloud');
    const w = await world(s, { userMapping: [{ user: 'bob@acme.com', jiraAccountId: BOB }] });
    const before = s.requests.length;
    await patch(w.key, 'fp-0', { assignee: 'alice@acme.com' });
    await eventually(async () => (s.getIssue(w.key0)!.fields.assignee as any)?.accountId === ALICE);
    await patch(w.key, 'fp-0', { assignee: 'bob@acme.com' });
    await eventually(async () => (s.getIssue(w.key0)!.fields.assignee as any)?.accountId === BOB);
    await patch(w.key, 'fp-0', { assignee: null });
    await eventually(async () => s.getIssue(w.key0)!.fields.assignee === null);
    await settleWebhooks(app, s, w.projectId);
    const writes = jiraWrites(s, w.issue('fp-0'), before);
    expect(writes.assignments.map((r) => r.body)).toEqual([{ accountId: ALICE }, { accountId: BOB }, { accountId: null }]);
    expect(writes.transitions).toEqual([]);
    expect(s.requests.slice(before).filter((r) => r.path.endsWith('/user/search')).map((r) => r.query.query)).toEqual(['alice@acme.com']);
    expect((await getGroup(app, w.key, 'fp-0')).assignee).toBeNull();

    // Someone with no Jira user: the Jira assignee is left alone and the activity says why.
    await patch(w.key, 'fp-0', { assignee: 'nobody@elsewhere.org' });
    const unmapped = await eventually(async () => (await activity(app, w.key, { fingerprint: 'fp-0', kind: 'assignee.unmapped', source: 'worker' }))[0]);
    expect(unmapped.detail).toContain('nobody@elsewhere.org');
    expect(jiraWrites(s, w.issue('fp-0'), before).assignments).toHaveLength(3);
  });

  it('assigns by name on Data Center: found by email, or through the user mapping', async () => {
    const s = await sim('datacenter');
    const w = await world(s, { userMapping: [{ user: 'robert', jiraUsername: 'bob' }] });
    const before = s.requests.length;
    await patch(w.key, 'fp-0', { assignee: 'alice@acme.com' });
    await eventually(async () => (s.getIssue(w.key0)!.fields.assignee as any)?.name === 'alice');
    await patch(w.key, 'fp-0', { assignee: 'robert' });
    await eventually(async () => (s.getIssue(w.key0)!.fields.assignee as any)?.name === 'bob');
    await settleWebhooks(app, s, w.projectId);
    expect(jiraWrites(s, w.issue('fp-0'), before).assignments.map((r) => r.body)).toEqual([{ name: 'alice' }, { name: 'bob' }]);
    // The echoes mapped back to the same people here.
    expect((await getGroup(app, w.key, 'fp-0')).assignee).toBe('robert');
  });

  it('skips the calls when Jira already matches', async () => {
    const s = await sim('cloud', 'manual');
    const w = await world(s);
    // Jira moved first; its webhooks are still on their way.
    s.transition(w.key0, 'Done');
    s.assign(w.key0, ALICE);
    const before = s.requests.length;
    await patch(w.key, 'fp-0', { state: 'resolved', assignee: 'alice@acme.com' });
    await waitOutboxIdle(app, w.projectId);
    const mine = s.requests.slice(before);
    expect(mine.some((r) => r.method === 'GET' && r.path.endsWith(`/issue/${w.issue('fp-0').id}`))).toBe(true); // the job did look
    expect(jiraWrites(s, w.issue('fp-0'), before).writes).toEqual([]);
    expect(mine.filter((r) => r.path.endsWith('/transitions'))).toEqual([]); // not even the list of transitions
    await settleWebhooks(app, s, w.projectId);
    expect(await getGroup(app, w.key, 'fp-0')).toMatchObject({ state: 'resolved', assignee: 'alice@acme.com', ticket: { status: 'Done' } });
  });

  it('a state change here pushes only the state: an assignment made in Jira meanwhile is not undone', async () => {
    const s = await sim('cloud', 'manual');
    const w = await world(s, { userMapping: [{ user: 'bob@acme.com', jiraAccountId: BOB }] });
    s.assign(w.key0, BOB); // its webhook is late
    const before = s.requests.length;
    await patch(w.key, 'fp-0', { state: 'resolved' });
    await waitOutboxIdle(app, w.projectId);
    const writes = jiraWrites(s, w.issue('fp-0'), before);
    expect(writes.transitions).toHaveLength(1);
    expect(writes.assignments).toEqual([]);
    expect((s.getIssue(w.key0)!.fields.assignee as any).accountId).toBe(BOB);
    await settleWebhooks(app, s, w.projectId);
    expect(await getGroup(app, w.key, 'fp-0')).toMatchObject({ state: 'resolved', assignee: 'bob@acme.com' });
  });

  it('a change made here while the job pushes an earlier one is pushed too, not undone by the earlier push', async () => {
    const s = await sim('cloud', 'manual');
    const w = await world(s);
    s.faults.latency(300); // Jira answers slowly: the job is still busy when the next change comes
    const before = s.requests.length;
    await patch(w.key, 'fp-0', { state: 'resolved' });
    await eventually(async () => {
      const rows: unknown[] = await app.dataSource.query(`SELECT 1 FROM outbox WHERE project_id = $1 AND kind = 'jira.sync' AND status = 'processing'`, [w.projectId]);
      return rows.length > 0;
    }, 10_000, 5);
    await sleep(50); // the job has read the group and waits for Jira
    await patch(w.key, 'fp-0', { assignee: 'alice@acme.com' });
    // Jira now shows the first push: its update time is later than the second change here.
    await eventually(async () => statusOf(s, w.key0) === 'Done', 10_000, 10);
    await waitOutboxIdle(app, w.projectId);
    s.faults.reset();
    for (let i = 0; i < 5 && s.pendingWebhooks.length; i++) await settleWebhooks(app, s, w.projectId);
    expect(await getGroup(app, w.key, 'fp-0')).toMatchObject({ state: 'resolved', assignee: 'alice@acme.com' });
    expect((s.getIssue(w.key0)!.fields.assignee as any)?.accountId).toBe(ALICE);
    const writes = jiraWrites(s, w.issue('fp-0'), before);
    expect({ transitions: writes.transitions.length, assignments: writes.assignments.length }).toEqual({ transitions: 1, assignments: 1 });
  });

  it('a transition Jira refuses because someone moved the issue meanwhile is looked at again; the assignment still goes out', async () => {
    const s = await sim('cloud', 'manual');
    const w = await world(s);
    s.faults.latency(300);
    const before = s.requests.length;
    await patch(w.key, 'fp-0', { state: 'resolved', assignee: 'alice@acme.com' });
    // The job has read the issue (and applied what it read: no webhook is delivered here) and now lists its
    // transitions, answered 300 ms later: meanwhile someone in Jira moves the issue.
    await eventually(async () => {
      const rows: unknown[] = await app.dataSource.query(`SELECT 1 FROM jira_issues WHERE project_id = $1 AND issue_key = $2 AND last_event_at IS NOT NULL`, [w.projectId, w.key0]);
      return rows.length > 0;
    }, 10_000, 5);
    await sleep(60);
    s.transition(w.key0, 'Done');
    await eventually(async () => (s.getIssue(w.key0)!.fields.assignee as any)?.accountId === ALICE, 15_000, 20);
    await waitOutboxIdle(app, w.projectId);
    s.faults.reset();
    await settleWebhooks(app, s, w.projectId);
    const writes = jiraWrites(s, w.issue('fp-0'), before);
    expect(writes.transitions.map((r) => r.status)).toEqual([400]); // refused: the issue was Done already
    expect(writes.assignments.map((r) => r.status)).toEqual([204]);
    expect(statusOf(s, w.key0)).toBe('Done');
    expect(await getGroup(app, w.key, 'fp-0')).toMatchObject({ state: 'resolved', assignee: 'alice@acme.com' });
    const failed: unknown[] = await app.dataSource.query(`SELECT 1 FROM outbox WHERE project_id = $1 AND status = 'failed'`, [w.projectId]);
    expect(failed).toEqual([]);
  });

  it('sync.outbound=false: a change here makes no Jira call', async () => {
    const s = await sim('cloud');
    const w = await world(s, { sync: { outbound: false, inbound: true } });
    const before = s.requests.length;
    await patch(w.key, 'fp-0', { state: 'resolved', assignee: 'alice@acme.com' });
    await waitOutboxIdle(app, w.projectId);
    await sleep(200);
    await waitOutboxIdle(app, w.projectId);
    expect(s.requests.slice(before)).toEqual([]);
    expect(statusOf(s, w.key0)).toBe('To Do');
    // Inbound still works.
    s.transition(w.key0, 'In Progress');
    await settleWebhooks(app, s, w.projectId);
    expect((await getGroup(app, w.key, 'fp-0')).state).toBe('in-progress');
  });

  it('sync.inbound=false: webhooks do not change groups (but are still accepted)', async () => {
    const s = await sim('cloud');
    const w = await world(s, { sync: { outbound: true, inbound: false } });
    s.transition(w.key0, 'Done');
    s.assign(w.key0, ALICE);
    expect(await settleWebhooks(app, s, w.projectId)).toEqual([]);
    expect(s.deliveredWebhooks.slice(-2).map((d) => d.status)).toEqual([202, 202]);
    expect(await getGroup(app, w.key, 'fp-0')).toMatchObject({ state: 'open', assignee: null });
    expect(await activity(app, w.key, { fingerprint: 'fp-0', source: 'jira' })).toEqual([]);
    // Outbound still works.
    await patch(w.key, 'fp-0', { state: 'in-progress' });
    await eventually(async () => statusOf(s, w.key0) === 'In Progress');
  });

  it('missed webhooks: POST .../resync converges and reports {read, changed, unlinked, skipped}', async () => {
    const s = await sim('cloud', 'manual');
    const w = await world(s, {}, ['fp-0', 'fp-1', 'fp-2', 'fp-3', 'fp-4']);
    s.transition(w.keys.get('fp-0')!, 'Done');
    s.transition(w.keys.get('fp-1')!, 'In Progress');
    s.assign(w.keys.get('fp-2')!, ALICE);
    s.deleteIssue(w.keys.get('fp-3')!);
    s.pendingWebhooks.splice(0); // every webhook lost
    await waitOutboxIdle(app, w.projectId);
    expect((await getGroup(app, w.key, 'fp-0')).state).toBe('open');

    const first = await app.admin('post', `/api/v1/projects/${w.key}/integrations/jira/resync`).expect(200);
    expect(first.body).toEqual({ read: 4, changed: 3, unlinked: 1, skipped: 0 });
    expect(await getGroup(app, w.key, 'fp-0')).toMatchObject({ state: 'resolved', ticket: { status: 'Done' } });
    expect((await getGroup(app, w.key, 'fp-1')).state).toBe('in-progress');
    expect((await getGroup(app, w.key, 'fp-2')).assignee).toBe('alice@acme.com');
    expect((await getGroup(app, w.key, 'fp-3')).ticket).toBeNull();
    expect(await getGroup(app, w.key, 'fp-4')).toMatchObject({ state: 'open', assignee: null });
    const log = await activity(app, w.key, { kind: 'resync.completed' });
    expect(log[0]).toMatchObject({ source: 'resync', data: { read: 4, changed: 3, unlinked: 1, skipped: 0 } });
    expect((await activity(app, w.key, { fingerprint: 'fp-0', kind: 'state.changed' }))[0].source).toBe('resync');

    // Nothing new: read again, nothing to change; and no Jira write either way.
    const again = await app.admin('post', `/api/v1/projects/${w.key}/integrations/jira/resync`).expect(200);
    expect(again.body).toEqual({ read: 4, changed: 0, unlinked: 0, skipped: 0 });
    await waitOutboxIdle(app, w.projectId);
    expect(s.pendingWebhooks).toEqual([]);
  });

  it('resync skips an issue it cannot reconcile (no readable updated date, a value the database refuses) and reconciles the rest', async () => {
    const s = await sim('cloud', 'manual');
    const w = await world(s, {}, ['fp-0', 'fp-1', 'fp-2']);
    const [key0, key1, key2] = ['fp-0', 'fp-1', 'fp-2'].map((fp) => w.keys.get(fp)!);
    s.transition(key0, 'Done');
    s.transition(key1, 'Done');
    s.transition(key2, 'Done');
    s.pendingWebhooks.splice(0);
    s.garbleField(key1, 'updated', 'yesterday');
    s.garbleField(key2, 'status', { id: '3', name: 'Done\u0000', statusCategory: { key: 'done' } }); // text columns refuse NUL

    const res = await app.admin('post', `/api/v1/projects/${w.key}/integrations/jira/resync`).expect(200);
    expect(res.body).toEqual({ read: 3, changed: 1, unlinked: 0, skipped: 2 });
    expect((await getGroup(app, w.key, 'fp-0')).state).toBe('resolved');
    expect((await getGroup(app, w.key, 'fp-1')).state).toBe('open');
    expect((await getGroup(app, w.key, 'fp-2')).state).toBe('open');
    const skipped = (await activity(app, w.key, { kind: 'resync.skipped' })).map((a) => a.detail).sort();
    expect(skipped).toEqual([
      expect.stringMatching(new RegExp(`^Jira issue ${key1} was not reconciled: .*no parseable fields.updated`)),
      expect.stringMatching(new RegExp(`^Jira issue ${key2} was not reconciled: the database refused it`)),
    ]);
    const [completed] = await activity(app, w.key, { kind: 'resync.completed' });
    expect(completed.detail).toContain('skipped 2 (see resync.skipped)');
  });
});
