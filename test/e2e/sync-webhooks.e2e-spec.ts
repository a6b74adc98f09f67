// Inbound sync: POST /webhooks/jira/{projectKey} from the Jira simulator (Cloud and Data Center shapes)
// and hand-made payloads: authentication, rejection, de-duplication, ordering, and status/user mapping.
import { JiraSimulator, SimWebhookEvent } from '../jira-sim';
import {
  activity, connectSync, getGroup, hubSignature, linkedGroups, postWebhook, settleWebhooks, waitOutboxIdle,
} from '../support/sync';
import { parseJiraWebhook } from '@app/modules/sync/inbound/parse-webhook';
import { simulatorsPerTest } from '../support/jira';
import { startTestApp, TestApp } from '../support/test-app';

const ALICE = '5b10ac8d82e05b22cc7d4ef5';
const BOB = '5b10ac8d82e05b22cc7d4ef6'; // hides his email on Cloud
const STATUS_MAPPING = [
  { jiraStatus: 'To Do', state: 'open', primary: true },
  { jiraStatus: 'Done', state: 'resolved', primary: true },
  { jiraStatus: "Won't Do", state: 'muted' },
];

/** The last event the simulator produced for an issue (manual mode keeps it pending too). */
const lastEventOf = (sim: JiraSimulator, key: string): SimWebhookEvent => {
  const e = [...sim.events].reverse().find((ev) => (ev.body.issue as { key?: string } | undefined)?.key === key);
  if (!e) throw new Error(`no event for ${key}`);
  return e;
};

function parsedChange(body: unknown) {
  const r = parseJiraWebhook(body);
  if (!r.ok) throw new Error(`simulator event not parsed: ${r.reason}`);
  return r.change;
}

describe('Jira webhooks (inbound sync)', () => {
  let app: TestApp;
  const sim = simulatorsPerTest();

  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => {
    await app.stop();
  });

  /** A project linked to `n` groups (fp-0…), each with its own new simulator issue. */
  async function world(s: JiraSimulator, settings: Record<string, unknown> = {}, opts: { style?: 'hmac' | 'query'; register?: boolean } = {}) {
    const p = await connectSync(app, s, { statusMapping: STATUS_MAPPING, ...settings }, opts);
    const keys = await linkedGroups(app, p.key, s, ['fp-0', 'fp-1']);
    if (s.webhookMode === 'manual') s.pendingWebhooks.splice(0); // the created events: not what these tests are about
    await settleWebhooks(app, s, p.projectId);
    return { ...p, keys, key0: keys.get('fp-0')! };
  }

  it('applies a webhook signed with the secret (X-Hub-Signature), refuses a bad or missing one with 401, and takes ?secret=', async () => {
    const s = await sim('cloud', 'manual');
    const w = await world(s, {}, { register: false });
    s.transition(w.key0, 'Done');
    const event = lastEventOf(s, w.key0);
    const raw = JSON.stringify(event.body);

    const wrong = await postWebhook(app, w.key, event.body, { secret: 'whsec_not-the-secret' });
    expect(wrong.status).toBe(401);
    expect(wrong.body.code).toBe('WEBHOOK_UNAUTHORIZED');
    await postWebhook(app, w.key, event.body, { style: 'none' }).expect(401);
    await postWebhook(app, w.key, event.body, { secret: 'whsec_not-the-secret', style: 'query' }).expect(401);
    // A signature over other bytes (the body was altered on the way) is refused too.
    await app.http().post(`/webhooks/jira/${w.key}`).set('Content-Type', 'application/json')
      .set('X-Hub-Signature', hubSignature(w.secret, raw)).send(raw.replace('"Done"', '"To Do"')).expect(401);
    await waitOutboxIdle(app, w.projectId);
    expect((await getGroup(app, w.key, 'fp-0')).state).toBe('open');
    const rejected = await activity(app, w.key, { kind: 'webhook.rejected' });
    expect(rejected).toHaveLength(4);
    expect(rejected.map((a) => a.detail)).toEqual(expect.arrayContaining([expect.stringContaining('X-Hub-Signature'), expect.stringContaining('secret')]));

    // The simulator's own signed delivery (X-Hub-Signature: sha256=…).
    s.registerWebhook({ url: `${app.url}/webhooks/jira/${w.key}`, secret: w.secret, style: 'hmac' });
    expect(await s.deliver(event)).toEqual([202]);
    await waitOutboxIdle(app, w.projectId);
    expect(await getGroup(app, w.key, 'fp-0')).toMatchObject({ state: 'resolved', ticket: { key: w.key0, status: 'Done' } });

    // ?secret= (what Data Center and admin-registered Cloud webhooks use).
    s.transition(w.key0, 'In Progress');
    const res = await postWebhook(app, w.key, lastEventOf(s, w.key0).body, { secret: w.secret, style: 'query' }).expect(202);
    expect(res.body).toEqual({ status: 'accepted' });
    await waitOutboxIdle(app, w.projectId);
    expect((await getGroup(app, w.key, 'fp-0')).state).toBe('in-progress');
  });

  it('answers clearly what it cannot use (400, 404, 413, ignored event types, unmapped status or user), and later events still apply', async () => {
    const s = await sim('cloud', 'manual');
    const w = await world(s, {}, { register: false });
    const send = (body: unknown, raw?: string) => postWebhook(app, w.key, body, { secret: w.secret, raw });

    // Malformed JSON.
    const malformed = await send(undefined, '{"webhookEvent": "jira:issue_updated", "issue": ').expect(400);
    expect(malformed.body.message[0]).toContain('not valid JSON');
    // Unknown project.
    const unknown = await postWebhook(app, 'no-such-project', { webhookEvent: 'jira:issue_updated' }, { secret: w.secret }).expect(404);
    expect(unknown.body.code).toBeDefined();
    // A body over 5 MB.
    const huge = JSON.stringify({ webhookEvent: 'jira:issue_updated', padding: 'x'.repeat(5 * 1024 * 1024 + 10) });
    await send(undefined, huge).expect(413);
    // JSON without `issue`: 400, and the payload is kept (bounded) in the activity log for whoever debugs the setup.
    const noIssue = { timestamp: Date.now(), webhookEvent: 'jira:issue_updated', padding: 'y'.repeat(50_000) };
    const res = await send(noIssue).expect(400);
    expect(res.body.message[0]).toContain('no issue');
    const [kept] = await activity(app, w.key, { kind: 'webhook.unparseable' });
    expect(kept.detail).toContain('no issue');
    expect(kept.data.payload.startsWith('{"timestamp":')).toBe(true);
    expect(kept.data.payload.length).toBeLessThanOrEqual(10_000);
    // An event type the sync does not use: acknowledged (Jira sends all it is subscribed to), and said so.
    const ignored = await send({ timestamp: Date.now(), webhookEvent: 'jira:version_released', version: { id: '10100' } });
    expect(ignored.status).toBeGreaterThanOrEqual(200);
    expect(ignored.status).toBeLessThan(300);
    expect(ignored.body).toEqual({ status: 'ignored', reason: expect.stringContaining("unsupported event type 'jira:version_released'") });

    // A status no mapping names and without a category: activity 'state.unmapped', the group keeps its state.
    s.transition(w.key0, 'In Progress');
    const triage = structuredClone(lastEventOf(s, w.key0).body) as any;
    triage.issue.fields.status = { name: 'Triage', id: '10777' };
    await send(triage, undefined).expect(202);
    await waitOutboxIdle(app, w.projectId);
    expect((await getGroup(app, w.key, 'fp-0')).state).toBe('open');
    const unmappedState = await activity(app, w.key, { fingerprint: 'fp-0', kind: 'state.unmapped' });
    expect(unmappedState).toHaveLength(1);
    expect(unmappedState[0].detail).toContain("'Triage'");

    // An assignee neither side knows (no mapping, no email): the group keeps the display name, activity says so.
    s.transition(w.key0, 'To Do');
    const stranger = structuredClone(lastEventOf(s, w.key0).body) as any;
    stranger.issue.fields.assignee = { accountId: '712020:0000-stranger', displayName: 'Zed Stranger', active: true };
    await send(stranger).expect(202);
    await waitOutboxIdle(app, w.projectId);
    expect(await getGroup(app, w.key, 'fp-0')).toMatchObject({ state: 'open', assignee: 'Zed Stranger' });
    const unmappedUser = await activity(app, w.key, { fingerprint: 'fp-0', kind: 'assignee.unmapped' });
    expect(unmappedUser).toHaveLength(1);
    expect(unmappedUser[0]).toMatchObject({ source: 'jira', detail: expect.stringContaining('Zed Stranger') });

    // None of that broke anything: the next real events apply.
    s.pendingWebhooks.splice(0);
    s.registerWebhook({ url: `${app.url}/webhooks/jira/${w.key}`, secret: w.secret, style: 'hmac' });
    s.transition(w.key0, 'Done');
    s.assign(w.key0, ALICE);
    expect(await settleWebhooks(app, s, w.projectId)).toEqual([202, 202]);
    expect(await getGroup(app, w.key, 'fp-0')).toMatchObject({ state: 'resolved', assignee: 'alice@acme.com' });
  });

  it('applies an event delivered 5 times (growing X-Atlassian-Webhook-Retry) once, and ignores an older event after a newer one', async () => {
    const s = await sim('cloud', 'manual');
    const w = await world(s);
    s.transition(w.key0, 'Done');
    const [done] = s.pendingWebhooks.splice(0);
    const statuses = await s.deliver(done, { times: 5, retryStart: 0 });
    expect(statuses).toEqual([202, 202, 202, 202, 202]);
    await waitOutboxIdle(app, w.projectId);
    expect((await getGroup(app, w.key, 'fp-0')).state).toBe('resolved');
    const applied = await activity(app, w.key, { fingerprint: 'fp-0', kind: 'state.changed', source: 'jira' });
    expect(applied).toHaveLength(1);
    const dedupe: Array<{ n: string }> = await app.dataSource.query(`SELECT count(*) AS n FROM webhook_deliveries WHERE project_id = $1 AND dedupe_key = $2`, [w.projectId, `id:${done.id}`]);
    expect(Number(dedupe[0].n)).toBe(1);

    // Older after newer: In Progress (older), then To Do (newer) delivered first.
    s.transition(w.key0, 'In Progress');
    s.transition(w.key0, 'To Do');
    const [older, newer] = s.pendingWebhooks.splice(0);
    expect(older.timestamp).toBeLessThan(newer.timestamp);
    expect(await s.deliver(newer)).toEqual([202]);
    await waitOutboxIdle(app, w.projectId);
    expect(await s.deliver(older)).toEqual([202]);
    await waitOutboxIdle(app, w.projectId);
    expect(await getGroup(app, w.key, 'fp-0')).toMatchObject({ state: 'open', ticket: { status: 'To Do' } });
    expect(await activity(app, w.key, { fingerprint: 'fp-0', kind: 'state.changed', source: 'jira' })).toHaveLength(2);
  });

  it('applies Data Center payloads: no identifier header, changelog items without fieldId, users by name', async () => {
    const s = await sim('datacenter', 'manual');
    const w = await world(s, { userMapping: [{ user: 'bob@acme.com', jiraUsername: 'bob' }] });
    s.transition(w.key0, 'Done');
    s.assign(w.key0, 'bob');
    const [transition, assignment] = s.pendingWebhooks;
    const body = transition.body as any;
    expect(body.user).toMatchObject({ name: 'admin', key: expect.any(String) });
    expect(body.user.accountId).toBeUndefined();
    expect(body.changelog.items.length).toBeGreaterThan(0);
    for (const item of body.changelog.items) expect(item.fieldId).toBeUndefined();
    expect((assignment.body as any).issue.fields.assignee).toMatchObject({ name: 'bob' });

    // Delivered twice each: without an identifier the duplicate is recognised by issue and timestamp.
    s.pendingWebhooks.splice(0);
    expect(await s.deliver(transition, { times: 2 })).toEqual([202, 202]);
    expect(await s.deliver(assignment, { times: 2 })).toEqual([202, 202]);
    await waitOutboxIdle(app, w.projectId);
    expect(await getGroup(app, w.key, 'fp-0')).toMatchObject({ state: 'resolved', assignee: 'bob@acme.com', ticket: { status: 'Done' } });
    expect(await activity(app, w.key, { fingerprint: 'fp-0', kind: 'state.changed', source: 'jira' })).toHaveLength(1);
    expect(await activity(app, w.key, { fingerprint: 'fp-0', kind: 'assignee.changed', source: 'jira' })).toHaveLength(1);

    // A user found by email (DC shows it), then unassigned.
    s.assign(w.key0, 'alice');
    s.assign(w.key0, null);
    const [toAlice, unassigned] = s.pendingWebhooks.splice(0);
    await s.deliver(toAlice);
    await waitOutboxIdle(app, w.projectId);
    expect((await getGroup(app, w.key, 'fp-0')).assignee).toBe('alice@acme.com');
    await s.deliver(unassigned);
    await waitOutboxIdle(app, w.projectId);
    expect((await getGroup(app, w.key, 'fp-0')).assignee).toBeNull();
  });

  it('maps statuses by statusMapping ("Won\'t Do" → muted) and else by status category', async () => {
    const s = await sim('cloud');
    const w = await world(s); // "In Progress" is not mapped: its category (indeterminate) says in-progress
    const expectState = async (status: string, state: string) => {
      s.transition(w.key0, status);
      await settleWebhooks(app, s, w.projectId);
      expect({ status, state: (await getGroup(app, w.key, 'fp-0')).state }).toEqual({ status, state });
    };
    await expectState("Won't Do", 'muted');
    await expectState('In Progress', 'in-progress');
    await expectState('Done', 'resolved');
    await expectState('To Do', 'open');
    // The other group's issue did not move: neither did it.
    expect((await getGroup(app, w.key, 'fp-1')).state).toBe('open');
    const changes = await activity(app, w.key, { fingerprint: 'fp-0', kind: 'state.changed' });
    expect(changes.map((a) => a.source)).toEqual(['jira', 'jira', 'jira', 'jira']);
    expect(changes[3].detail).toContain("Won't Do");
  });

  it('maps users: userMapping first, else email (auto-map), else the display name is kept and the activity says unmapped', async () => {
    const s = await sim('cloud');
    s.addUser({ displayName: 'Carol Diaz', emailAddress: 'carol@acme.com', accountId: '712020:carol' });
    const w = await world(s, { userMapping: [{ user: 'alice-here', jiraAccountId: ALICE }] });
    const assign = async (user: string | null) => {
      s.assign(w.key0, user);
      await settleWebhooks(app, s, w.projectId);
      return (await getGroup(app, w.key, 'fp-0')).assignee;
    };
    expect(await assign(ALICE)).toBe('alice-here'); // mapping wins over her visible email
    expect(await assign('712020:carol')).toBe('carol@acme.com'); // auto-mapped by email
    expect(await assign(BOB)).toBe('Bob'); // email hidden, not mapped
    const unmapped = await activity(app, w.key, { fingerprint: 'fp-0', kind: 'assignee.unmapped' });
    expect(unmapped).toHaveLength(1);
    expect(unmapped[0].detail).toContain("'Bob'");
    expect(await assign(null)).toBeNull();

    // With auto-map off, Carol is not recognised by her email either.
    const off = await world(s, { autoMapUsersByEmail: false });
    s.assign(off.key0, '712020:carol');
    await settleWebhooks(app, s, off.projectId);
    expect((await getGroup(app, off.key, 'fp-0')).assignee).toBe('Carol Diaz');
  });

  it('removes the link when the issue is deleted, and follows a moved issue (same id, new key)', async () => {
    const s = await sim('cloud');
    const w = await world(s);
    const moved = s.getIssue(w.keys.get('fp-1')!)!;

    s.moveIssue(moved.key, 'OPS-7');
    await settleWebhooks(app, s, w.projectId);
    const g1 = await getGroup(app, w.key, 'fp-1');
    expect(g1.ticket).toMatchObject({ key: 'OPS-7', id: moved.id });
    expect((g1.ticket as any).url).toMatch(/\/browse\/OPS-7$/);
    expect(await activity(app, w.key, { fingerprint: 'fp-1', kind: 'ticket.moved' })).toHaveLength(1);
    // Events keep applying under the new key.
    s.transition('OPS-7', 'Done');
    await settleWebhooks(app, s, w.projectId);
    expect((await getGroup(app, w.key, 'fp-1')).state).toBe('resolved');

    s.deleteIssue(w.key0);
    await settleWebhooks(app, s, w.projectId);
    expect((await getGroup(app, w.key, 'fp-0')).ticket).toBeNull();
    const deleted = await activity(app, w.key, { fingerprint: 'fp-0', kind: 'ticket.deleted' });
    expect(deleted).toHaveLength(1);
    expect(deleted[0].detail).toContain(w.key0);
    // The other group kept its (moved) link.
    expect((await getGroup(app, w.key, 'fp-1')).ticket).toMatchObject({ key: 'OPS-7' });
  });

  it('sets aside an event the database refuses (activity webhook.failed) while the events around it still apply', async () => {
    const s = await sim('cloud', 'manual');
    const w = await world(s);
    const key1 = w.keys.get('fp-1')!;
    s.transition(w.key0, 'In Progress');
    const before = parsedChange(lastEventOf(s, w.key0).body);
    // What no parser lets through today (a time PostgreSQL cannot store), put straight in the queue
    // between two good events, so that one batch takes all three.
    const refused = { ...before, status: { name: 'Done', id: '5', category: 'done' }, timestamp: 8.64e15 };
    await app.dataSource.query(
      `INSERT INTO webhook_events (project_id, issue_id, change) SELECT $1, c ->> 'issueId', c FROM jsonb_array_elements($2::jsonb) AS c`,
      [w.projectId, JSON.stringify([before, refused])],
    );
    s.transition(key1, 'Done');
    await postWebhook(app, w.key, lastEventOf(s, key1).body, { secret: w.secret }).expect(202); // queues the job
    await waitOutboxIdle(app, w.projectId);

    expect((await getGroup(app, w.key, 'fp-0')).state).toBe('in-progress');
    expect((await getGroup(app, w.key, 'fp-1')).state).toBe('resolved');
    const failed = await activity(app, w.key, { kind: 'webhook.failed' });
    expect(failed).toHaveLength(1);
    expect(failed[0].detail).toContain(`Jira event for issue ${w.key0} was set aside`);
    expect(failed[0].detail).toContain('time zone displacement out of range');
    expect(JSON.parse(failed[0].data.change)).toEqual(refused);
    const jobs: Array<{ status: string; last_error: string | null }> = await app.dataSource.query(
      `SELECT status, last_error FROM outbox WHERE project_id = $1 AND kind = 'jira.webhook'`, [w.projectId],
    );
    expect(jobs.filter((j) => j.status !== 'done' || j.last_error !== null)).toEqual([]);
    expect(await app.dataSource.query(`SELECT 1 FROM webhook_events WHERE project_id = $1`, [w.projectId])).toEqual([]);

    // Later events apply as usual.
    s.transition(w.key0, 'Done');
    await postWebhook(app, w.key, lastEventOf(s, w.key0).body, { secret: w.secret }).expect(202);
    await waitOutboxIdle(app, w.projectId);
    expect((await getGroup(app, w.key, 'fp-0')).state).toBe('resolved');
  });
});
