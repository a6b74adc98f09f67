// Comments both ways (issue #15, item 2): Jira comments on the group (webhooks in Cloud ADF and Data Center
// wiki shapes, edits, deletes, duplicates and reordering, resync), and notes added here posted to Jira once.
import { JiraSimulator, SimWebhookEvent } from '../jira-sim';
import { configureJira, startSim } from '../support/jira';
import { backlinkMarker, milestoneMarker, regressionMarker } from '@app/modules/jira/client';
import { connectSync, linkedGroups, settleWebhooks, SyncProject, waitOutboxIdle } from '../support/sync';
import { startTestApp, TestApp } from '../support/test-app';
import { signIn, uiGet, uiPost } from '../support/ui-session';

type Comment = { id: string; source: 'jira' | 'local'; author: string; body: string; createdAt: string; jiraCommentId?: string };

describe('Comments both ways', () => {
  let app: TestApp;
  const sims: JiraSimulator[] = [];
  const sim = async (flavour: 'cloud' | 'datacenter') => {
    const s = await startSim({ flavour, realComments: true });
    s.webhookMode = 'manual';
    sims.push(s);
    return s;
  };
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => {
    await app.stop();
    for (const s of sims) await s.stop();
  });

  /**
   * A project on `s` with one group linked to a new issue; returns the project and the issue key. The group is linked
   * while comments do not go out (no backlink comment to count), then `settings.comments` (default: both on) applies.
   */
  async function world(s: JiraSimulator, fp: string, settings: Record<string, unknown> = {}): Promise<{ w: SyncProject; issue: string }> {
    const w = await connectSync(app, s, { ...settings, comments: { inbound: true, outbound: false } });
    const issue = (await linkedGroups(app, w.key, s, [fp])).get(fp)!;
    await settleWebhooks(app, s, w.projectId);
    const comments = { inbound: true, outbound: true, ...(settings.comments as object | undefined) };
    await configureJira(app, w.key, s, { createRules: { onNewGroup: false, minCount: 1, maxTicketsPerHour: 1000 }, ...settings, comments });
    return { w, issue };
  }

  const comments = async (w: SyncProject, fp: string): Promise<Comment[]> =>
    (await app.admin('get', `/api/v1/projects/${w.key}/groups/${fp}/comments`).expect(200)).body.items;

  /** Takes the simulator's pending webhooks (what Jira would send) without delivering them. */
  const takePending = (s: JiraSimulator): SimWebhookEvent[] => s.pendingWebhooks.splice(0);

  async function deliver(s: JiraSimulator, w: SyncProject, events: SimWebhookEvent[]) {
    for (const e of events) expect(await s.deliver(e)).toEqual([202]);
    await waitOutboxIdle(app, w.projectId);
  }

  it('shows Cloud comments (ADF) and follows edits and deletes, whatever the order and however often they arrive', async () => {
    const s = await sim('cloud');
    const { w, issue } = await world(s, 'fp-cloud');
    const kept = s.addComment(issue, 'Seen on *2.4.1* too');
    await deliver(s, w, takePending(s));
    expect(await comments(w, 'fp-cloud')).toEqual([
      expect.objectContaining({ source: 'jira', body: 'Seen on 2.4.1 too', author: expect.any(String), jiraCommentId: kept }),
    ]);

    // An edit, a comment added then deleted, and a second edit: delivered newest first, each twice.
    s.editComment(issue, kept, 'Seen on 2.4.1 and 2.4.2');
    const gone = s.addComment(issue, 'Wrong issue, sorry');
    s.deleteComment(issue, gone);
    s.editComment(issue, kept, 'Seen on 2.4.1, 2.4.2 and 2.5.0');
    const events = takePending(s);
    expect(events.map((e) => e.body.webhookEvent)).toEqual(['comment_updated', 'comment_created', 'comment_deleted', 'comment_updated']);
    const reversed = [...events].reverse();
    await deliver(s, w, reversed);
    // Again, as fresh deliveries (new identifiers): a retried delivery Jira marks as new must converge as well.
    for (const e of reversed) await s.deliver({ ...e, id: `${e.id}-again` });
    await waitOutboxIdle(app, w.projectId);
    const after = await comments(w, 'fp-cloud');
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ jiraCommentId: kept, body: 'Seen on 2.4.1, 2.4.2 and 2.5.0' });

    // A delete wins over the edits delivered after it.
    s.deleteComment(issue, kept);
    const [deleted] = takePending(s);
    await deliver(s, w, [deleted, ...events.filter((e) => e.body.webhookEvent === 'comment_updated')]);
    expect(await comments(w, 'fp-cloud')).toEqual([]);
  });

  it('shows Data Center comments (wiki text, events without the issue) and their edits', async () => {
    const s = await sim('datacenter');
    const { w, issue } = await world(s, 'fp-dc');
    const id = s.addComment(issue, 'Reproduced with h2. steps');
    s.editComment(issue, id, 'Reproduced on staging');
    const events = takePending(s);
    expect(events.every((e) => e.body.issue === undefined)).toBe(true);
    await deliver(s, w, [events[1], events[0]]);
    expect(await comments(w, 'fp-dc')).toEqual([expect.objectContaining({ source: 'jira', body: 'Reproduced on staging', jiraCommentId: id })]);
  });

  it('picks up comments no webhook brought, and their deletes, on resync', async () => {
    const s = await sim('cloud');
    const { w, issue } = await world(s, 'fp-resync');
    const first = s.addComment(issue, 'Missed by the webhook');
    takePending(s);
    await app.admin('post', `/api/v1/projects/${w.key}/integrations/jira/resync`).expect(200);
    expect(await comments(w, 'fp-resync')).toEqual([expect.objectContaining({ body: 'Missed by the webhook', jiraCommentId: first })]);
    s.deleteComment(issue, first);
    takePending(s);
    await app.admin('post', `/api/v1/projects/${w.key}/integrations/jira/resync`).expect(200);
    expect(await comments(w, 'fp-resync')).toEqual([]);
  });

  it("leaves in Jira the comments crashbridge posts on its own (milestones, regressions, backlinks), by webhook and on resync", async () => {
    const s = await sim('cloud');
    const { w, issue } = await world(s, 'fp-own');
    s.addComment(issue, `This error has now occurred 100 times.\n${milestoneMarker('7', 100)}`);
    s.addComment(issue, `Regression in 2.5.0\n${regressionMarker('7', 1)}`);
    s.addComment(issue, `Linked to the crashbridge group fp-own: https://cb.example/ui ${backlinkMarker('7')}`);
    s.addComment(issue, 'Linked to the crashbridge group fp-own of project x. [crashbridge-link:7]'); // an earlier version's
    const person = s.addComment(issue, 'A crashbridge-link of our own making'); // a person's words are kept
    await deliver(s, w, takePending(s));
    const expected = [expect.objectContaining({ source: 'jira', jiraCommentId: person })];
    expect(await comments(w, 'fp-own')).toEqual(expected);
    await app.admin('post', `/api/v1/projects/${w.key}/integrations/jira/resync`).expect(200);
    expect(await comments(w, 'fp-own')).toEqual(expected);
  });

  it('posts a note to Jira once, also when the first answer is lost, and its webhook adds no second comment', async () => {
    const s = await sim('cloud');
    const { w, issue } = await world(s, 'fp-note');
    s.faults.dropCommentResponses(1);
    const res = await app.admin('post', `/api/v1/projects/${w.key}/groups/fp-note/comments`).send({ body: 'Fixed in 2.5, please verify' }).expect(201);
    expect(res.body).toMatchObject({ source: 'local', author: 'API', body: 'Fixed in 2.5, please verify' });
    await waitOutboxIdle(app, w.projectId);
    const inJira = s.getIssue(issue)!.comments;
    expect(inJira).toHaveLength(1);
    expect(inJira[0].body).toMatch(/^Fixed in 2\.5, please verify\s+crashbridge-note-[0-9a-f]{16}$/);
    const posts = s.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/comment'));
    expect(posts).toHaveLength(1); // the retry found the comment by its marker

    await settleWebhooks(app, s, w.projectId); // Jira's comment_created for our own comment
    expect(await comments(w, 'fp-note')).toEqual([
      expect.objectContaining({ id: res.body.id, source: 'local', body: 'Fixed in 2.5, please verify', jiraCommentId: inJira[0].id }),
    ]);
  });

  it('knows its own comment by the marker when the webhook comes before the id is stored', async () => {
    const s = await sim('datacenter');
    const { w, issue } = await world(s, 'fp-echo');
    const note = await app.admin('post', `/api/v1/projects/${w.key}/groups/fp-echo/comments`).send({ body: 'Looking into it' }).expect(201);
    await waitOutboxIdle(app, w.projectId);
    const [copy] = s.getIssue(issue)!.comments;
    // The same comment seen as its webhook would show it before the note's Jira id was stored.
    await app.dataSource.query(`UPDATE group_comments SET jira_comment_id = NULL, jira_updated_at = NULL WHERE id = $1`, [note.body.id]);
    await settleWebhooks(app, s, w.projectId);
    expect(await comments(w, 'fp-echo')).toEqual([expect.objectContaining({ id: note.body.id, source: 'local', jiraCommentId: copy.id })]);
  });

  it('keeps a note here without posting when comments.outbound is off or the group has no ticket', async () => {
    const s = await sim('cloud');
    const { w, issue } = await world(s, 'fp-off', { comments: { outbound: false } });
    await app.admin('post', `/api/v1/projects/${w.key}/groups/fp-off/comments`).send({ body: 'Internal only' }).expect(201);
    await app.admin('post', `/api/v1/projects/${w.key}/groups`).send({ fingerprint: 'fp-bare' }).expect(201);
    await app.admin('post', `/api/v1/projects/${w.key}/groups/fp-bare/comments`).send({ body: 'No ticket yet' }).expect(201);
    await waitOutboxIdle(app, w.projectId);
    expect(s.getIssue(issue)!.comments).toEqual([]);
    expect(await comments(w, 'fp-off')).toEqual([expect.objectContaining({ source: 'local', body: 'Internal only' })]);
    expect((await comments(w, 'fp-off'))[0].jiraCommentId).toBeUndefined();
    const settings = (await app.admin('get', `/api/v1/projects/${w.key}/integrations/jira`).expect(200)).body;
    expect(settings.comments).toEqual({ inbound: true, outbound: false });
  });

  it('answers 400 naming body for an empty, missing or too long note, and 404 for an unknown group', async () => {
    const s = await sim('cloud');
    const { w } = await world(s, 'fp-bad');
    const path = `/api/v1/projects/${w.key}/groups/fp-bad/comments`;
    for (const body of [{}, { body: '' }, { body: '   ' }, { body: 42 }, { body: 'x'.repeat(32_767) }]) {
      const res = await app.admin('post', path).send(body).expect(400);
      expect(JSON.stringify(res.body.message)).toContain('body');
    }
    await app.admin('post', path).send({ body: 'x'.repeat(32_700) }).expect(201);
    await app.admin('get', `/api/v1/projects/${w.key}/groups/nope/comments`).expect(404);
    await app.admin('post', `/api/v1/projects/${w.key}/groups/nope/comments`).send({ body: 'hi' }).expect(404);
    await waitOutboxIdle(app, w.projectId);
    expect((await comments(w, 'fp-bad'))[0].jiraCommentId).toEqual(expect.any(String)); // Jira took the longest note allowed
  });

  it('shows the comments on the group page, escaped, and adds a note from its form', async () => {
    const s = await sim('cloud');
    const { w, issue } = await world(s, 'fp-ui');
    s.addComment(issue, 'Try <script>alert(1)</script> & see');
    await settleWebhooks(app, s, w.projectId);
    const ui = await signIn(app);
    const path = `/ui/projects/${w.key}/groups/fp-ui`;
    const page = (await uiGet(app, ui, path).expect(200)).text;
    expect(page).toContain('Try &lt;script&gt;alert(1)&lt;/script&gt; &amp; see');
    expect(page).not.toContain('<script>alert(1)');
    expect(page).toContain(`action="${path}/comments"`);

    const empty = await uiPost(app, ui, `${path}/comments`, { body: '  ' }).expect(400);
    expect(empty.text).toContain('body must not be empty');
    const done = await uiPost(app, ui, `${path}/comments`, { body: 'Line one\nline two' }).expect(303);
    expect(done.headers.location).toBe(`${path}?done=noted`);
    await waitOutboxIdle(app, w.projectId);
    const after = (await uiGet(app, ui, done.headers.location).expect(200)).text;
    expect(after).toContain('Note added.');
    expect(after).toContain('Line one\nline two');
    expect(s.getIssue(issue)!.comments.map((c) => c.body)).toEqual([expect.stringContaining('Try'), expect.stringMatching(/^Line one\nline two\s+crashbridge-note-/)]);
  });

  it('turns comments on and off with the checkbox pair of the Behaviour tab', async () => {
    const s = await sim('cloud');
    const { w } = await world(s, 'fp-settings');
    const ui = await signIn(app);
    const tab = (await uiGet(app, ui, `/ui/projects/${w.key}/jira?tab=behaviour`).expect(200)).text;
    expect(tab).toMatch(/name="commentsInbound" value="on" checked/);
    expect(tab).toMatch(/name="commentsOutbound" value="on" checked/);
    const fields = { syncInbound: 'on', syncOutbound: 'on', onNewGroup: 'on', minCount: '1', maxTicketsPerHour: '100', reopenJira: 'on', regressionComment: 'on' };
    await uiPost(app, ui, `/ui/projects/${w.key}/jira/behaviour`, { ...fields, commentsInbound: 'on', action: 'save' }).expect(303);
    const settings = (await app.admin('get', `/api/v1/projects/${w.key}/integrations/jira`).expect(200)).body;
    expect(settings.comments).toEqual({ inbound: true, outbound: false });
  });
});
