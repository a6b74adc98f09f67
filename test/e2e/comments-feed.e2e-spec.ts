// comment.added in the change feed and the notifications (issue #15): a Jira comment and a note here are each one
// change and one signed event, however often Jira delivers the comment, whether the reconciliation reads it again, and
// when a note's own copy comes back from Jira. Edits and deletes add none.
import { JiraSimulator, SimWebhookEvent } from '../jira-sim';
import { configureJira, startSim } from '../support/jira';
import { connectSync, linkedGroups, settleWebhooks, SyncProject, waitOutboxIdle } from '../support/sync';
import { eventually, startTestApp, TestApp } from '../support/test-app';
import { EventReceiver, signatureOf } from '../support/notification-receiver';

interface Change { cursor: string; type: string; fingerprint: string; changes: Record<string, any> }

const SECRET = 'comment-receiver-secret-0123';

describe('comment.added', () => {
  let app: TestApp;
  let receiver: EventReceiver;
  const sims: JiraSimulator[] = [];

  beforeAll(async () => {
    app = await startTestApp();
    receiver = new EventReceiver();
    await receiver.start();
  });
  afterAll(async () => {
    await app.stop();
    await receiver.stop();
    for (const s of sims) await s.stop();
  });

  /** A project on a new simulator (webhooks delivered by hand) with `fp` linked to an issue, comments both ways. */
  async function world(flavour: 'cloud' | 'datacenter', fp: string): Promise<{ s: JiraSimulator; w: SyncProject; issue: string }> {
    const s = await startSim({ flavour, realComments: true });
    s.webhookMode = 'manual';
    sims.push(s);
    const w = await connectSync(app, s);
    const issue = (await linkedGroups(app, w.key, s, [fp])).get(fp)!;
    await settleWebhooks(app, s, w.projectId);
    await configureJira(app, w.key, s, { createRules: { onNewGroup: false, minCount: 1, maxTicketsPerHour: 1000 }, comments: { inbound: true, outbound: true } });
    return { s, w, issue };
  }

  const feed = async (key: string): Promise<Change[]> =>
    (await app.admin('get', `/api/v1/projects/${key}/changes`).query({ limit: 500 }).expect(200)).body.items;
  const commentChanges = async (key: string) => (await feed(key)).filter((c) => c.type === 'comment.added');
  const resync = (key: string) => app.admin('post', `/api/v1/projects/${key}/integrations/jira/resync`).expect(200);
  const take = (s: JiraSimulator): SimWebhookEvent[] => s.pendingWebhooks.splice(0);
  async function deliver(s: JiraSimulator, w: SyncProject, events: SimWebhookEvent[]) {
    for (const e of events) expect(await s.deliver(e)).toEqual([202]);
    await waitOutboxIdle(app, w.projectId);
  }

  it('records a Jira comment and a note once each, and sends each once, signed, to a subscribed receiver', async () => {
    const { s, w, issue } = await world('cloud', 'fp-both');
    await app.admin('put', `/api/v1/projects/${w.key}/notifications`).send({ url: receiver.url, secret: SECRET, events: ['comment.added', 'group.assigned'] }).expect(200);

    // A Jira comment: its webhook twice (the second as a fresh delivery), then the reconciliation reads it again.
    const jiraId = s.addComment(issue, 'Seen on *2.4.1* too');
    const [created] = take(s);
    await deliver(s, w, [created, { ...created, id: `${created.id}-again` }]);
    await resync(w.key);
    // A note here: posted to Jira, its comment_created comes back, and the reconciliation lists it too.
    const note = (await app.admin('post', `/api/v1/projects/${w.key}/groups/fp-both/comments`).send({ body: 'Fixed in 2.5' }).expect(201)).body;
    await waitOutboxIdle(app, w.projectId);
    await settleWebhooks(app, s, w.projectId);
    await resync(w.key);
    // Edits and a delete of the Jira comment are no comment.added.
    s.editComment(issue, jiraId, 'Seen on 2.4.1 and 2.4.2');
    await settleWebhooks(app, s, w.projectId);
    s.deleteComment(issue, jiraId);
    await settleWebhooks(app, s, w.projectId);

    const changes = await commentChanges(w.key);
    expect(changes).toEqual([
      expect.objectContaining({ fingerprint: 'fp-both', changes: { comment: {
        id: expect.any(String), source: 'jira', author: expect.any(String), body: 'Seen on 2.4.1 too',
        createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/), jiraCommentId: jiraId,
      } } }),
      expect.objectContaining({ fingerprint: 'fp-both', changes: { comment: {
        id: note.id, source: 'local', author: 'API', body: 'Fixed in 2.5', createdAt: expect.any(String), jiraCommentId: null,
      } } }),
    ]);

    await eventually(async () => receiver.of(w.key).length === 2, 15_000);
    const got = receiver.of(w.key);
    expect(got.map((r) => [r.type, r.body.changes.comment.source])).toEqual([['comment.added', 'jira'], ['comment.added', 'local']]);
    for (const r of got) {
      expect(r.signature).toBe(signatureOf(SECRET, r.raw));
      expect(r.body).toMatchObject({ project: { key: w.key }, group: { fingerprint: 'fp-both' } });
    }
    expect(got[1].body.changes).toEqual(changes[1].changes);
    // Nothing more comes: the deliveries list holds the two, delivered.
    const deliveries = (await app.admin('get', `/api/v1/projects/${w.key}/notifications/deliveries`).expect(200)).body.items;
    expect(deliveries.map((d: { type: string; outcome: string }) => `${d.type}:${d.outcome}`)).toEqual(['comment.added:delivered', 'comment.added:delivered']);
    expect(receiver.of(w.key)).toHaveLength(2);
  });

  it('records a note whose Jira copy arrives before its id is stored once, and a comment deleted before its create arrived never', async () => {
    const { s, w, issue } = await world('datacenter', 'fp-echo');
    const note = (await app.admin('post', `/api/v1/projects/${w.key}/groups/fp-echo/comments`).send({ body: 'Looking into it' }).expect(201)).body;
    await waitOutboxIdle(app, w.projectId);
    // As if the webhook had come before the job stored the note's Jira id: it is matched by the marker.
    await app.dataSource.query(`UPDATE group_comments SET jira_comment_id = NULL, jira_updated_at = NULL WHERE id = $1`, [note.id]);
    await settleWebhooks(app, s, w.projectId);

    const gone = s.addComment(issue, 'Wrong issue');
    s.deleteComment(issue, gone);
    const [create, del] = take(s);
    await deliver(s, w, [del, create]);
    await resync(w.key);

    expect((await commentChanges(w.key)).map((c) => c.changes.comment)).toEqual([expect.objectContaining({ id: note.id, source: 'local' })]);
  });

  it('accepts comment.added as an event and still refuses unknown ones, naming events', async () => {
    const { w } = await world('cloud', 'fp-valid');
    const put = (events: string[]) => app.admin('put', `/api/v1/projects/${w.key}/notifications`).send({ url: receiver.url, secret: SECRET, events });
    expect((await put(['comment.added']).expect(200)).body.events).toEqual(['comment.added']);
    const bad = await put(['comment.added', 'comment.edited']).expect(400);
    expect(JSON.stringify(bad.body)).toContain('events');
  });
});
