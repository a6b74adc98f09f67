// Every payload Jira really sends (issue #13, item 6), against the simulator's realComments mode:
// Data Center comment events without `issue`, Cloud comments stored as ADF, the regression marker's
// round trip through ADF, and events the bridge does not use (acknowledged, never a 4xx).
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { JiraSimulator } from '../jira-sim';
import { startSim } from '../support/jira';
import { activity, connectSync, getGroup, postWebhook, settleWebhooks, SyncProject, waitOutboxIdle } from '../support/sync';
import { eventually, startTestApp, TestApp } from '../support/test-app';

const FIXTURES = join(__dirname, '../fixtures/jira-webhooks');
const STATUS_MAPPING = [
  { jiraStatus: 'To Do', state: 'open', primary: true },
  { jiraStatus: 'In Progress', state: 'in-progress', primary: true },
  { jiraStatus: 'Done', state: 'resolved', primary: true },
];

describe('Jira payloads as Jira really sends them', () => {
  let app: TestApp;
  const sims: JiraSimulator[] = [];
  const sim = async (flavour: 'cloud' | 'datacenter') => {
    const s = await startSim({ flavour, realComments: true });
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

  /** A group with a ticket; returns its issue key. */
  async function ticketed(s: JiraSimulator, w: SyncProject, fp: string, attributes: Record<string, string> = {}): Promise<string> {
    await app.admin('post', `/api/v1/projects/${w.key}/groups`).send({ fingerprint: fp, attributes }).expect(201);
    await app.admin('post', `/api/v1/projects/${w.key}/groups/${fp}/ticket`).send({}).expect(202);
    const g = await eventually(async () => (await getGroup(app, w.key, fp)).ticket, 20_000);
    await settleWebhooks(app, s, w.projectId);
    return g.key;
  }
  const lastEventAt = async (issueKey: string): Promise<Date | null> =>
    (await app.dataSource.query(`SELECT last_event_at FROM jira_issues WHERE issue_key = $1`, [issueKey]))[0]?.last_event_at ?? null;

  it('Data Center: a comment_created without issue is acknowledged and applied to the issue named in comment.self', async () => {
    const s = await sim('datacenter');
    const w = await connectSync(app, s);
    const issueKey = await ticketed(s, w, 'dc-comment');
    const before = await lastEventAt(issueKey);
    const deliveredBefore = s.deliveredWebhooks.length;
    s.addComment(issueKey, 'Seen again on 5.1.3');
    await settleWebhooks(app, s, w.projectId);
    const delivered = s.deliveredWebhooks.slice(deliveredBefore);
    expect(delivered.map((d) => [d.event.body.webhookEvent, 'issue' in d.event.body, d.status])).toEqual([['comment_created', false, 202]]);
    const after = await lastEventAt(issueKey);
    expect(after!.getTime()).toBe(delivered[0].event.timestamp);
    expect(after!.getTime()).toBeGreaterThan(before?.getTime() ?? 0);
    expect(await activity(app, w.key, { kind: 'webhook.unparseable' })).toEqual([]);
  });

  it('answers every fixture payload with 2xx, the events it does not use included', async () => {
    const s = await sim('cloud');
    const w = await connectSync(app, s, {}, { register: false });
    const files = [
      ...readdirSync(FIXTURES).filter((f) => f.endsWith('.json')),
      ...readdirSync(join(FIXTURES, 'unused-events')).map((f) => join('unused-events', f)),
    ];
    const answers: Array<[string, number]> = [];
    for (const f of files) {
      const res = await postWebhook(app, w.key, JSON.parse(readFileSync(join(FIXTURES, f), 'utf8')), { secret: w.secret });
      answers.push([f, res.status]);
    }
    expect(answers.filter(([, status]) => status < 200 || status >= 300)).toEqual([]);
    await waitOutboxIdle(app, w.projectId);
    expect(await activity(app, w.key, { kind: 'webhook.unparseable' })).toEqual([]);
  });

  it('Cloud: a regression comment survives the ADF round trip, and a retried job comments exactly once', async () => {
    const s = await sim('cloud');
    const w = await connectSync(app, s, { statusMapping: STATUS_MAPPING, fixVersionSync: { enabled: true, versionAttribute: 'version' } });
    const issueKey = await ticketed(s, w, 'cloud-regress', { version: '2.4.0' });
    s.transition(issueKey, 'Done', { fixVersions: ['2.4.1'] });
    await eventually(async () => (await getGroup(app, w.key, 'cloud-regress')).state === 'resolved', 20_000);
    await app.admin('post', `/api/v1/projects/${w.key}/groups`).send({ fingerprint: 'cloud-regress', attributes: { version: '2.5.0' } }).expect(200);
    await eventually(async () => s.getIssue(issueKey)!.comments.length === 1, 20_000);
    await waitOutboxIdle(app, w.projectId);
    const [comment] = s.getIssue(issueKey)!.comments;
    const marker = /crashbridge-regression-[0-9a-f]{8}-1/.exec(comment.body)?.[0];
    expect(marker).toBeDefined();
    // Cloud keeps the ADF only; the marker is a text node of it, so the wiki given back holds it as sent.
    expect(JSON.stringify(comment.adf)).toContain(marker);

    // The job runs again after its comment was posted (as after a lost answer): it finds the marker.
    const [job] = await app.dataSource.query(`SELECT id FROM outbox WHERE project_id = $1 AND kind = 'jira.regression'`, [w.projectId]);
    await app.dataSource.query(`UPDATE outbox SET status = 'pending', attempts = 0, available_at = now(), finished_at = NULL WHERE id = $1`, [job.id]);
    await eventually(async () => (await app.dataSource.query(`SELECT status FROM outbox WHERE id = $1`, [job.id]))[0].status === 'done', 20_000);
    expect(s.getIssue(issueKey)!.comments).toHaveLength(1);
    expect(s.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/comment'))).toHaveLength(1);
  });
});
