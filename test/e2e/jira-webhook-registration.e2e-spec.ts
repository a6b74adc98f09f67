// The Jira webhook the bridge registers itself (POST/DELETE …/integrations/jira/webhook) through Jira's
// admin webhook API on Cloud (signed with the secret) and Data Center (?secret= in the URL), and the
// webhook's health (deliveries, and the warning when reconciliation keeps finding unannounced changes).
import { createServer } from 'node:net';
import { JiraSimulator } from '../jira-sim';
import { simulatorsPerTest, startSim } from '../support/jira';
import { activity, connectSync, getGroup, linkedGroups, settleWebhooks, waitOutboxIdle } from '../support/sync';
import { eventually, startTestApp, TestApp } from '../support/test-app';
import { signIn, uiGet, uiPost } from '../support/ui-session';

const STATUS_MAPPING = [
  { jiraStatus: 'To Do', state: 'open', primary: true },
  { jiraStatus: 'Done', state: 'resolved', primary: true },
  { jiraStatus: 'Resolved', state: 'resolved' },
  { jiraStatus: 'Closed', state: 'resolved' },
  { jiraStatus: 'Open', state: 'open' },
];

/** A free port, so PUBLIC_URL (the URL registered in Jira) can name the app's own address. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  await new Promise((r) => server.close(r));
  return port;
}

/** Fetches the simulator's registered webhooks through its admin API (as a Jira admin would see them). */
async function simWebhooks(sim: JiraSimulator): Promise<Array<{ url: string; events: string[]; filters: Record<string, string> }>> {
  const auth = sim.flavour === 'cloud'
    ? `Basic ${Buffer.from(`${sim.credentials.email}:${sim.credentials.apiToken}`).toString('base64')}`
    : `Bearer ${sim.credentials.pat}`;
  const res = await fetch(`${sim.apiUrl.replace(/rest\/api\/2\/$/, '')}rest/webhooks/1.0/webhook`, { headers: { Authorization: auth } });
  return (await res.json()) as Array<{ url: string; events: string[]; filters: Record<string, string> }>;
}

describe('Jira webhook registered by the bridge', () => {
  let app: TestApp;
  const sim = simulatorsPerTest();
  const hookPath = (key: string) => `/api/v1/projects/${key}/integrations/jira/webhook`;
  const settings = (key: string) => app.admin('get', `/api/v1/projects/${key}/integrations/jira`).expect(200);

  beforeAll(async () => {
    const port = await freePort();
    app = await startTestApp({ env: { PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}` } });
  });
  afterAll(async () => {
    await app.stop();
  });

  async function world(s: JiraSimulator) {
    const p = await connectSync(app, s, { statusMapping: STATUS_MAPPING }, { register: false });
    const keys = await linkedGroups(app, p.key, s, ['fp-0']);
    return { ...p, issue: keys.get('fp-0')! };
  }

  const strictSims: JiraSimulator[] = [];
  afterEach(async () => {
    for (const s of strictSims.splice(0)) await s.stop();
  });

  for (const flavour of ['cloud', 'datacenter'] as const) {
    it(`${flavour}: registers once (a repeat keeps one webhook), a Jira-side change arrives through it, DELETE removes it`, async () => {
      // Data Center in its strict mode: its own workflow, as a new user would meet it.
      const s = flavour === 'cloud' ? await sim('cloud') : await startSim({ flavour, strict: true });
      if (flavour === 'datacenter') strictSims.push(s);
      const w = await world(s);
      const url = `${app.config.publicUrl}/webhooks/jira/${w.key}`;

      const first = await app.admin('post', hookPath(w.key)).expect(200);
      expect(first.body).toMatchObject({ url, jql: 'project = CHK', created: true, id: expect.any(String) });
      expect(first.body.events).toEqual(expect.arrayContaining(['jira:issue_created', 'jira:issue_updated', 'jira:issue_deleted', 'comment_created']));
      const second = await app.admin('post', hookPath(w.key)).expect(200);
      expect(second.body).toMatchObject({ id: first.body.id, created: false });

      const hooks = await simWebhooks(s);
      expect(hooks).toHaveLength(1);
      expect(hooks[0].filters['issue-related-events-section']).toBe('project = CHK');
      // Cloud signs with the secret; Data Center cannot, so the secret rides in the URL.
      if (flavour === 'cloud') expect(hooks[0].url).toBe(url);
      else expect(hooks[0].url).toBe(`${url}?secret=${encodeURIComponent(w.secret)}`);
      expect(JSON.stringify(second.body)).not.toContain(w.secret);

      const before = await settings(w.key);
      expect(before.body.webhook).toMatchObject({ url, registered: true, id: first.body.id, lastDeliveryAt: null, deliveries24h: 0 });

      s.transition(w.issue, flavour === 'cloud' ? 'Done' : 'Resolved');
      await settleWebhooks(app, s, w.projectId);
      await eventually(async () => (await getGroup(app, w.key, 'fp-0')).state === 'resolved');
      const after = await settings(w.key);
      expect(after.body.webhook).toMatchObject({ registered: true, deliveries24h: 1, lastDeliveryAt: expect.any(String) });
      expect(after.body.webhook.warning).toBeUndefined();

      const metrics = await app.http().get('/metrics').expect(200);
      expect(metrics.text).toContain(`crashbridge_jira_webhook_registered{project="${w.key}"} 1`);
      expect(metrics.text).toContain(`crashbridge_jira_webhook_deliveries_24h{project="${w.key}"} 1`);

      await app.admin('delete', hookPath(w.key)).expect(204);
      expect(await simWebhooks(s)).toHaveLength(0);
      expect((await settings(w.key)).body.webhook).toMatchObject({ registered: false, deliveries24h: 1 });
      await app.admin('delete', hookPath(w.key)).expect(204); // nothing left: still fine
    });
  }

  it('replaces a webhook whose filter or secret is stale, and leaves one', async () => {
    const s = await sim('cloud');
    const w = await world(s);
    await app.admin('post', hookPath(w.key)).expect(200);
    // A secret rotated since: the registered webhook would sign with the old one.
    await app.admin('post', `/api/v1/projects/${w.key}/integrations/jira/webhook-secret`).expect(200);
    const again = await app.admin('post', hookPath(w.key)).expect(200);
    expect(again.body.created).toBe(true);
    expect(await simWebhooks(s)).toHaveLength(1);
  });

  it('deleting the integration removes its webhook from Jira; when Jira refuses, says so and deletes here all the same', async () => {
    const s = await sim('datacenter');
    const w = await world(s);
    await app.admin('post', hookPath(w.key)).expect(200);
    await app.admin('delete', `/api/v1/projects/${w.key}/integrations/jira`).expect(204);
    expect(await simWebhooks(s)).toHaveLength(0);

    const v = await world(s);
    await app.admin('post', hookPath(v.key)).expect(200);
    s.setPermissions({ denied: ['ADMINISTER'] });
    await app.admin('delete', `/api/v1/projects/${v.key}/integrations/jira`).expect(204);
    await app.admin('get', `/api/v1/projects/${v.key}/integrations/jira`).expect(404);
    const entries = await activity(app, v.key, { kind: 'webhook.unregister_failed' });
    expect(entries).toHaveLength(1);
    expect(entries[0].detail).toMatch(/Jira did not remove webhook \d+ .*403/);
  });

  it('without Jira admin rights: 403 with the manual steps, nothing stored', async () => {
    const s = await sim('cloud');
    s.setPermissions({ denied: ['ADMINISTER'] });
    const w = await world(s);
    const res = await app.admin('post', hookPath(w.key)).expect(403);
    expect(res.body).toMatchObject({ statusCode: 403, code: 'JIRA_WEBHOOK_FORBIDDEN', message: [expect.stringContaining('Administer Jira')] });
    expect(res.body.manualSteps).toMatchObject({
      url: `${app.config.publicUrl}/webhooks/jira/${w.key}`,
      jql: 'project = CHK',
      events: expect.arrayContaining(['jira:issue_updated', 'comment_created']),
      secret: expect.stringContaining('secret'),
    });
    expect(res.body.manualSteps.steps.length).toBeGreaterThan(3);
    expect(JSON.stringify(res.body)).not.toContain(w.secret);
    expect((await settings(w.key)).body.webhook).toEqual({ url: `${app.config.publicUrl}/webhooks/jira/${w.key}` });
  });

  it('an apiUrl the egress guard refuses: 400, and nothing is sent', async () => {
    const s = await sim('cloud');
    const w = await world(s);
    await app.dataSource.query(`UPDATE jira_integrations SET api_url = 'http://169.254.169.254/rest/api/2/', revision = revision + 1 WHERE project_id = $1`, [w.projectId]);
    const res = await app.admin('post', hookPath(w.key)).expect(400);
    expect(res.body).toMatchObject({ code: 'JIRA_HOST_REFUSED', message: [expect.stringContaining('169.254.169.254')] });
  });

  it('warns when reconciliation keeps finding changes that no webhook brought', async () => {
    const s = await sim('cloud');
    const w = await world(s);
    await app.admin('post', `/api/v1/projects/${w.key}/integrations/jira/resync`).expect(200);
    const states = ['Done', 'To Do', 'Done', 'To Do'];
    for (const [i, status] of states.entries()) {
      s.transition(w.issue, status); // no webhook registered: nothing arrives
      const res = await app.admin('post', `/api/v1/projects/${w.key}/integrations/jira/resync`).expect(200);
      expect(res.body.changed).toBe(1);
      const { webhook } = (await settings(w.key)).body;
      if (i < 2) expect(webhook.warning).toBeUndefined();
      else expect(webhook).toMatchObject({ registered: false, lastDeliveryAt: null, deliveries24h: 0, warning: expect.stringContaining('missing or misconfigured') });
    }
    expect((await app.http().get('/metrics')).text).toContain(`crashbridge_jira_webhook_warning{project="${w.key}"} 1`);

    // Registering the webhook starts over; a change it brings does not count.
    await app.admin('post', hookPath(w.key)).expect(200);
    expect((await settings(w.key)).body.webhook.warning).toBeUndefined();
    await waitOutboxIdle(app, w.projectId);
  });

  it('UI: the Register in Jira button registers it, shows the health, and the manual steps without admin rights', async () => {
    const s = await sim('datacenter');
    const w = await world(s);
    const ui = await signIn(app);
    const page = `/ui/projects/${w.key}/jira`;
    const shown = await uiGet(app, ui, `${page}?tab=connection`).expect(200);
    expect(shown.text).toContain('id="webhook-register"');
    expect(shown.text).toContain('none yet');

    const done = await uiPost(app, ui, `${page}/webhook`, {}).expect(200);
    expect(done.text).toContain('Webhook registered in Jira');
    expect(done.text).toContain('id="webhook-registered"');
    expect(await simWebhooks(s)).toHaveLength(1);
    s.transition(w.issue, 'Done');
    await settleWebhooks(app, s, w.projectId);
    const after = await uiGet(app, ui, `${page}?tab=connection`).expect(200);
    expect(after.text).toMatch(/Deliveries in the last 24 h<\/dt><dd>1</);

    await uiPost(app, ui, `${page}/webhook/remove`, {}).expect(200);
    expect(await simWebhooks(s)).toHaveLength(0);

    s.setPermissions({ denied: ['ADMINISTER'] });
    const refused = await uiPost(app, ui, `${page}/webhook`, {}).expect(403);
    expect(refused.text).toContain('id="webhook-manual"');
    expect(refused.text).toMatch(/JQL filter: project (=|&#x3D;) CHK/); // Handlebars escapes '='
    expect(refused.text).not.toContain(w.secret);
  });
});
