import { createHmac } from 'node:crypto';
import { Json, bug, client, receiver, useSimulators } from './sim-client';

describe('JiraSimulator webhook registration API', () => {
  const start = useSimulators();
  const closers: Array<() => Promise<void>> = [];
  afterEach(async () => {
    await Promise.all(closers.splice(0).map((c) => c()));
  });
  const rx = async () => {
    const r = await receiver(200, '/webhooks/jira');
    closers.push(r.close);
    return r;
  };

  it('Cloud: registers, lists and deletes an admin webhook; deliveries are filtered by JQL and signed', async () => {
    const sim = await start();
    const api = client(sim);
    const hook = await rx();
    const body = { name: 'crashbridge', url: hook.url, events: ['jira:issue_updated', 'comment_created'], filters: { 'issue-related-events-section': 'project = CHK' }, excludeBody: false, secret: 's3cr3t' };
    const created = await api('POST', '/rest/webhooks/1.0/webhook', body);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'crashbridge', url: hook.url, events: body.events, filters: body.filters, enabled: true });
    expect(created.body.self).toBe(`${sim.baseUrl}/rest/webhooks/1.0/webhook/1`);
    expect(created.body.secret).toBeUndefined();
    expect((await api('GET', '/rest/webhooks/1.0/webhook')).body.map((w: Json) => w.name)).toEqual(['crashbridge']);

    const { key } = (await api('POST', 'issue', bug('hooked'))).body; // issue_created: not subscribed
    sim.moveIssue(key, 'OPS-1'); // now outside the filter
    sim.assign('OPS-1', '5b10ac8d82e05b22cc7d4ef5');
    const { key: k2 } = (await api('POST', 'issue', bug('second'))).body;
    sim.transition(k2, 'In Progress');
    await sim.webhooksIdle();
    expect(hook.got.map((g) => [g.json.webhookEvent, g.json.issue.key])).toEqual([['jira:issue_updated', k2]]);
    const sig = createHmac('sha256', 's3cr3t').update(hook.got[0].raw).digest('hex');
    expect(hook.got[0].headers['x-hub-signature']).toBe(`sha256=${sig}`);

    expect((await api('DELETE', '/rest/webhooks/1.0/webhook/1')).status).toBe(204);
    expect((await api('GET', '/rest/webhooks/1.0/webhook')).body).toEqual([]);
    expect((await api('DELETE', '/rest/webhooks/1.0/webhook/1')).status).toBe(404);
    sim.transition(k2, 'Done');
    await sim.webhooksIdle();
    expect(hook.got).toHaveLength(1);
  });

  it('Data Center: same API, no signing (secret travels in the URL), excludeBody honoured', async () => {
    const sim = await start({ flavour: 'datacenter' });
    const api = client(sim, 'bearer');
    const hook = await rx();
    await api('POST', '/rest/webhooks/1.0/webhook', { name: 'a', url: `${hook.url}?secret=abc`, events: ['jira:issue_created'], secret: 'ignored' });
    await api('POST', '/rest/webhooks/1.0/webhook', { name: 'b', url: `${hook.url}?slim=1`, events: ['jira:issue_created'], excludeBody: true });
    await api('POST', 'issue', bug('dc'));
    await sim.webhooksIdle();
    expect(hook.got.map((g) => [g.url, g.headers['x-hub-signature'], g.raw === ''])).toEqual([
      ['/webhooks/jira?secret=abc', undefined, false],
      ['/webhooks/jira?slim=1', undefined, true],
    ]);
  });

  it('answers 403 when the bot is not a Jira admin, 400 on a bad body; Connect’s /webhook is for apps', async () => {
    const sim = await start({ permissions: { denied: ['ADMINISTER'] } });
    const api = client(sim);
    const r = await api('POST', '/rest/webhooks/1.0/webhook', { name: 'x', url: 'https://example.com/h' });
    expect([r.status, r.body.errorMessages]).toEqual([403, ['You are not authorized to perform this action. Administrator privileges are required.']]);
    expect((await api('GET', '/rest/webhooks/1.0/webhook')).status).toBe(403);
    sim.setPermissions({});
    expect((await api('POST', '/rest/webhooks/1.0/webhook', { name: 'x' })).body.errors).toEqual({ url: 'A valid URL is required.' });
    expect((await api('POST', '/rest/webhooks/1.0/webhook', { name: 'x', url: 'https://e.com', filters: { 'issue-related-events-section': 'project ==' } })).status).toBe(400);
    expect((await api('POST', 'webhook', { url: 'https://e.com', webhooks: [] })).status).toBe(403);
  });
});
