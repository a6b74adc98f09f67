import { createHmac, timingSafeEqual } from 'node:crypto';
import { bug, client, Json, receiver, sleep, useSimulators } from './sim-client';

describe('JiraSimulator', () => {
  const start = useSimulators();

  describe('webhooks', () => {
    it('Cloud: signs with X-Hub-Signature and sends identifier/retry headers, also for REST changes', async () => {
      const hook = await receiver();
      try {
        const sim = await start();
        const api = client(sim);
        sim.registerWebhook({ url: hook.url, secret: 'It5-a-s3cret' });
        const { key, id } = (await api('POST', 'issue', bug('hooked'))).body;
        await api('POST', `issue/${key}/transitions`, { transition: { id: '21' } }); // by the integration itself
        sim.transition(key, 'Done', { fixVersions: ['2.4.1'] }); // by a person
        sim.assign(key, '5b10ac8d82e05b22cc7d4ef5');
        sim.addComment(key, 'looks fixed');
        sim.deleteIssue(key);
        await sim.webhooksIdle();

        expect(hook.got.map((g) => [g.json.webhookEvent, g.json.issue_event_type_name])).toEqual([
          ['jira:issue_created', 'issue_created'],
          ['jira:issue_updated', 'issue_generic'],
          ['jira:issue_updated', 'issue_generic'],
          ['jira:issue_updated', 'issue_assigned'],
          ['comment_created', undefined],
          ['jira:issue_deleted', 'issue_deleted'],
        ]);
        for (const g of hook.got) {
          const expected = 'sha256=' + createHmac('sha256', 'It5-a-s3cret').update(g.raw).digest('hex');
          const sig = String(g.headers['x-hub-signature']);
          expect(timingSafeEqual(Buffer.from(sig), Buffer.from(expected))).toBe(true);
          expect(g.headers['x-atlassian-webhook-identifier']).toEqual(expect.any(String));
          expect(g.headers['x-atlassian-webhook-retry']).toBe('0');
          expect(g.url).toBe('/webhooks/jira/checkout');
          expect(g.json.timestamp).toEqual(expect.any(Number));
        }
        const [created, byBot, byPerson, assigned, comment] = hook.got.map((g) => g.json);
        expect(created.issue).toMatchObject({ id, key, fields: { summary: 'hooked', status: { name: 'To Do' } } });
        expect(byBot.user.accountId).toBe('5b10ac8d82e05b22cc7d4e00'); // the bot's own change comes back
        expect(byBot.changelog.items).toEqual([
          { field: 'status', fieldtype: 'jira', fieldId: 'status', from: '1', fromString: 'To Do', to: '3', toString: 'In Progress' },
        ]);
        expect(byPerson.user.accountId).not.toBe('5b10ac8d82e05b22cc7d4e00');
        expect(byPerson.issue.fields.status.statusCategory.key).toBe('done');
        expect(byPerson.changelog.items).toEqual(expect.arrayContaining([
          expect.objectContaining({ fieldId: 'status', fromString: 'In Progress', toString: 'Done' }),
          expect.objectContaining({ fieldId: 'resolution', to: '10000', toString: 'Done' }),
          expect.objectContaining({ field: 'Fix Version', fieldId: 'fixVersions', from: null, to: '10102', toString: '2.4.1' }),
        ]));
        expect(assigned.changelog.items).toEqual([
          { field: 'assignee', fieldtype: 'jira', fieldId: 'assignee', from: null, fromString: null, to: '5b10ac8d82e05b22cc7d4ef5', toString: 'Alice' },
        ]);
        expect(assigned.issue.fields.assignee.emailAddress).toBe('alice@acme.com');
        expect(comment.comment).toMatchObject({ body: 'looks fixed', author: { displayName: 'Jira Admin' } });
        expect(comment.issue).toMatchObject({ id, key });
        const stamps = hook.got.map((g) => g.json.timestamp);
        expect([...stamps].sort((a, b) => a - b)).toEqual(stamps);
        expect(new Set(stamps).size).toBe(stamps.length);
        expect(sim.deliveredWebhooks.map((d) => d.status)).toEqual([200, 200, 200, 200, 200, 200]);
      } finally {
        await hook.close();
      }
    });

    it('manual mode queues events; deliver() repeats them with the same identifier and counting retries', async () => {
      const hook = await receiver(500);
      try {
        const sim = await start();
        sim.webhookMode = 'manual';
        sim.registerWebhook({ url: hook.url, secret: 's', style: 'hmac' });
        const { key } = (await client(sim)('POST', 'issue', bug('queued'))).body;
        sim.transition(key, 'Done');
        await sim.webhooksIdle();
        expect(hook.got).toHaveLength(0);
        expect(sim.pendingWebhooks.map((e) => e.body.webhookEvent)).toEqual(['jira:issue_created', 'jira:issue_updated']);
        const event = sim.pendingWebhooks[1];
        expect(await sim.deliver(event, { times: 3, retryStart: 1 })).toEqual([500, 500, 500]);
        expect(hook.got.map((g) => g.headers['x-atlassian-webhook-retry'])).toEqual(['1', '2', '3']);
        expect(new Set(hook.got.map((g) => g.headers['x-atlassian-webhook-identifier']))).toEqual(new Set([event.id]));
        expect(new Set(hook.got.map((g) => g.raw)).size).toBe(1);
        expect(sim.deliveredWebhooks).toHaveLength(3);
        expect(await sim.flushWebhooks()).toEqual([500, 500]);
        expect(sim.pendingWebhooks).toHaveLength(0);
      } finally {
        await hook.close();
      }
    });

    it('auto mode records failures without retrying them', async () => {
      const hook = await receiver(503);
      try {
        const sim = await start();
        sim.registerWebhook({ url: hook.url });
        await client(sim)('POST', 'issue', bug('fails'));
        await sim.webhooksIdle();
        await sleep(50);
        expect(hook.got).toHaveLength(1);
        expect(hook.got[0].headers['x-hub-signature']).toBeUndefined(); // no secret, no signature
        expect(sim.deliveredWebhooks.map((d) => d.status)).toEqual([503]);
      } finally {
        await hook.close();
      }
    });

    it('Data Center: ?secret= in the URL, users by name, no fieldId in changelog', async () => {
      const hook = await receiver();
      try {
        const sim = await start({ flavour: 'datacenter' });
        sim.registerWebhook({ url: hook.url, secret: 'dc secret&x' });
        const { key } = (await client(sim)('POST', 'issue', bug('dc hook'))).body;
        sim.transition(key, "Won't Do");
        sim.assign(key, 'bob');
        await sim.webhooksIdle();
        expect(hook.got).toHaveLength(3);
        for (const g of hook.got) {
          expect(new URL(g.url, 'http://x').searchParams.get('secret')).toBe('dc secret&x');
          expect(g.headers['x-hub-signature']).toBeUndefined();
          expect(g.headers['x-atlassian-webhook-identifier']).toBeUndefined();
        }
        const [created, transitioned, assigned] = hook.got.map((g) => g.json);
        expect(created.user).toMatchObject({ name: 'bot', key: 'JIRAUSER10000' });
        expect(created.user.accountId).toBeUndefined();
        expect(transitioned.user.name).toBe('admin');
        for (const item of [...transitioned.changelog.items, ...assigned.changelog.items]) expect(item).not.toHaveProperty('fieldId');
        expect(transitioned.changelog.items).toEqual(expect.arrayContaining([
          { field: 'status', fieldtype: 'jira', from: '1', fromString: 'To Do', to: '10002', toString: "Won't Do" },
        ]));
        expect(assigned.changelog.items).toEqual([{ field: 'assignee', fieldtype: 'jira', from: null, fromString: null, to: 'JIRAUSER10102', toString: 'Bob' }]);
        expect(assigned.issue.fields.assignee).toMatchObject({ name: 'bob', emailAddress: 'bob@acme.com' });
      } finally {
        await hook.close();
      }
    });
  });

  describe('control endpoints', () => {
    it('drives Jira-side actions, webhooks and faults over HTTP without auth', async () => {
      const hook = await receiver();
      try {
        const sim = await start({ contextPath: '/jira' });
        const ctl = (path: string, body?: unknown) =>
          fetch(`${sim.baseUrl}/_sim${path}`, { method: body === undefined ? 'GET' : 'POST', headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
        expect((await ctl('/webhooks', { url: hook.url, secret: 'k', style: 'hmac' })).status).toBe(204);
        const { key } = (await client(sim)('POST', 'issue', bug('controlled'))).body;
        const t = await ctl(`/issues/${key}/transition`, { status: 'Done', fixVersions: ['2.4.1'] });
        expect(t.status).toBe(200);
        expect(((await t.json()) as Json).fields.fixVersions[0].name).toBe('2.4.1');
        expect((await ctl(`/issues/${key}/assign`, { user: '5b10ac8d82e05b22cc7d4ef6' })).status).toBe(200);
        expect((await ctl(`/issues/${key}/transition`, { status: 'Nope' })).status).toBe(400);
        expect((await ctl('/issues/CHK-404/assign', { user: null })).status).toBe(404);
        const list = (await (await ctl('/issues')).json()) as Json[];
        expect(list.map((i) => [i.key, i.fields.status.name, i.fields.assignee.displayName])).toEqual([[key, 'Done', 'Bob']]);
        expect((await ctl('/faults', { serverErrors: 1 })).status).toBe(204);
        expect((await client(sim)('GET', 'myself')).status).toBe(500);
        await ctl('/faults', { rateLimit: { requests: 1, retryAfterSeconds: 2 } });
        expect((await client(sim)('GET', 'myself')).status).toBe(429);
        await sim.webhooksIdle();
        expect(hook.got.map((g) => g.json.webhookEvent)).toEqual(['jira:issue_created', 'jira:issue_updated', 'jira:issue_updated']);
      } finally {
        await hook.close();
      }
    });
  });
});
