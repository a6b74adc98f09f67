import { bug, client, Json, useSimulators } from './sim-client';

describe('JiraSimulator', () => {
  const start = useSimulators();

  describe('issue operations', () => {
    it('edits, deletes and keeps properties', async () => {
      const sim = await start();
      const api = client(sim);
      const { key } = (await api('POST', 'issue', bug('edit me', { labels: ['a'] }))).body;
      expect((await api('PUT', `issue/${key}`, { fields: { summary: 'edited' }, update: { labels: [{ add: 'b' }, { remove: 'a' }] } })).status).toBe(204);
      expect(sim.getIssue(key)?.fields).toMatchObject({ summary: 'edited', labels: ['b'] });
      expect((await api('PUT', `issue/${key}`, { fields: { summary: '' } })).body.errors).toEqual({ summary: 'You must specify a summary of the issue.' });
      expect((await api('PUT', `issue/${key}`, { fields: { status: { name: 'Done' } } })).status).toBe(400);

      expect((await api('GET', `issue/${key}/properties/crashbridge`)).status).toBe(404);
      expect((await api('PUT', `issue/${key}/properties/crashbridge`, { fingerprint: '5f2c' })).status).toBe(201);
      expect((await api('PUT', `issue/${key}/properties/crashbridge`, { fingerprint: '5f2d' })).status).toBe(200);
      expect((await api('GET', `issue/${key}/properties/crashbridge`)).body).toEqual({ key: 'crashbridge', value: { fingerprint: '5f2d' } });
      expect((await api('GET', `issue/${key}/properties`)).body.keys.map((k: Json) => k.key)).toEqual(['crashbridge']);
      expect((await api('DELETE', `issue/${key}/properties/crashbridge`)).status).toBe(204);
      expect((await api('GET', `issue/${key}/properties/crashbridge`)).status).toBe(404);

      expect((await api('DELETE', `issue/${key}`)).status).toBe(204);
      expect((await api('GET', `issue/${key}`)).status).toBe(404);
      expect(sim.getIssue(key)).toBeUndefined();
      expect(sim.listIssues()).toEqual([]);
    });

    it('lists and performs transitions', async () => {
      const sim = await start();
      const api = client(sim);
      const { key } = (await api('POST', 'issue', bug('transition me'))).body;
      const list = (await api('GET', `issue/${key}/transitions`)).body.transitions;
      expect(list.map((t: Json) => [t.id, t.name, t.to.name, t.to.statusCategory.key])).toEqual([
        ['21', 'In Progress', 'In Progress', 'indeterminate'],
        ['31', 'Done', 'Done', 'done'],
        ['41', "Won't Do", "Won't Do", 'done'],
      ]);
      expect((await api('POST', `issue/${key}/transitions`, { transition: { id: '11' } })).status).toBe(400); // already To Do
      const invalid = await api('POST', `issue/${key}/transitions`, { transition: { id: '99' } });
      expect(invalid.status).toBe(400);
      expect(invalid.body.errorMessages[0]).toBe("Transition id '99' is not valid for this issue.");
      const bad = await api('POST', `issue/${key}/transitions`, { transition: { id: '31' }, fields: { fixVersions: [{ name: 'nope' }] } });
      expect(bad.body.errors).toEqual({ fixVersions: "Version name 'nope' is not valid" });

      const done = await api('POST', `issue/${key}/transitions`, {
        transition: { id: '31' },
        fields: { fixVersions: [{ name: '2.4.1' }] },
        update: { comment: [{ add: { body: 'fixed in 2.4.1' } }] },
      });
      expect(done.status).toBe(204);
      const f = sim.getIssue(key)!.fields as Json;
      expect(f.status).toMatchObject({ name: 'Done', id: '10001', statusCategory: { key: 'done' } });
      expect(f.resolution.name).toBe('Done');
      expect(f.fixVersions.map((v: Json) => v.name)).toEqual(['2.4.1']);
      expect(sim.getIssue(key)!.comments.map((c) => c.body)).toEqual(['fixed in 2.4.1']);
      expect((await api('GET', `issue/${key}/transitions`)).body.transitions.map((t: Json) => t.id)).toEqual(['11', '21', '41']);
      await api('POST', `issue/${key}/transitions`, { transition: { id: 11 } });
      expect(sim.getIssue(key)!.fields).toMatchObject({ resolution: null, status: { name: 'To Do' } });
    });

    it('assigns by accountId on Cloud', async () => {
      const sim = await start();
      const api = client(sim);
      const { key } = (await api('POST', 'issue', bug('assign me'))).body;
      expect((await api('PUT', `issue/${key}/assignee`, { accountId: '5b10ac8d82e05b22cc7d4ef5' })).status).toBe(204);
      expect((sim.getIssue(key)!.fields.assignee as Json).accountId).toBe('5b10ac8d82e05b22cc7d4ef5');
      expect((await api('PUT', `issue/${key}/assignee`, { accountId: 'nobody' })).status).toBe(404);
      expect((await api('PUT', `issue/${key}/assignee`, { name: 'alice' })).status).toBe(400);
      expect((await api('PUT', `issue/${key}/assignee`, { accountId: null })).status).toBe(204);
      expect(sim.getIssue(key)!.fields.assignee).toBeNull();
    });

    it('assigns by name on Data Center', async () => {
      const sim = await start({ flavour: 'datacenter' });
      const api = client(sim);
      const { key } = (await api('POST', 'issue', bug('assign me'))).body;
      expect((await api('PUT', `issue/${key}/assignee`, { name: 'bob' })).status).toBe(204);
      expect(sim.getIssue(key)!.fields.assignee).toMatchObject({ name: 'bob', emailAddress: 'bob@acme.com' });
      const unknown = await api('PUT', `issue/${key}/assignee`, { name: 'mallory' });
      expect(unknown.status).toBe(400);
      expect(unknown.body.errors).toEqual({ assignee: "User 'mallory' does not exist." });
      expect((await api('PUT', `issue/${key}/assignee`, { name: null })).status).toBe(204);
      expect(sim.getIssue(key)!.fields.assignee).toBeNull();
    });

    it('adds and lists comments', async () => {
      const sim = await start();
      const api = client(sim);
      const { key } = (await api('POST', 'issue', bug('comment me'))).body;
      const c = await api('POST', `issue/${key}/comment`, { body: 'Regression in 2.5.0 (12 reports)' });
      expect(c.status).toBe(201);
      expect(c.body).toMatchObject({ id: '10000', body: 'Regression in 2.5.0 (12 reports)', author: { accountId: '5b10ac8d82e05b22cc7d4e00' } });
      expect((await api('POST', `issue/${key}/comment`, { body: '' })).status).toBe(400);
      sim.addComment(key, 'from a person');
      const list = (await api('GET', `issue/${key}/comment`)).body;
      expect(list.total).toBe(2);
      expect(list.comments.map((x: Json) => [x.body, x.author.displayName])).toEqual([
        ['Regression in 2.5.0 (12 reports)', 'Crashbridge Bot'],
        ['from a person', 'Jira Admin'],
      ]);
    });

    it('resolves a moved issue by its old key', async () => {
      const sim = await start();
      const api = client(sim);
      const { id, key } = (await api('POST', 'issue', bug('move me'))).body;
      sim.moveIssue(key, 'OPS-7');
      const byOld = (await api('GET', `issue/${key}`)).body;
      expect(byOld).toMatchObject({ id, key: 'OPS-7' });
      expect(byOld.fields.project.key).toBe('OPS');
      expect(sim.getIssue('CHK-1')?.key).toBe('OPS-7');
      expect((await api('GET', 'issue/OPS-7')).body.id).toBe(id);
      const changelog = sim.events.at(-1)!.body as Json;
      expect(changelog.issue_event_type_name).toBe('issue_moved');
      expect(changelog.changelog.items[0]).toMatchObject({ field: 'Key', fromString: 'CHK-1', toString: 'OPS-7' });
    });
  });

  describe('users', () => {
    it('Cloud user search matches visible emails and display names', async () => {
      const sim = await start();
      const api = client(sim);
      expect((await api('GET', 'user/search?query=alice@acme.com')).body).toEqual([expect.objectContaining({ accountId: '5b10ac8d82e05b22cc7d4ef5', emailAddress: 'alice@acme.com' })]);
      expect((await api('GET', '/rest/api/3/user/search?query=bob@acme.com')).body).toEqual([]); // email hidden
      const bob = (await api('GET', 'user/search?query=Bob')).body;
      expect(bob).toHaveLength(1);
      expect(bob[0].accountId).toBe('5b10ac8d82e05b22cc7d4ef6');
      expect(bob[0].emailAddress).toBeUndefined();
      expect((await api('GET', 'user/search?username=bob')).status).toBe(400);
      expect((await api('GET', 'user?accountId=5b10ac8d82e05b22cc7d4ef5')).body.displayName).toBe('Alice');
      sim.addUser({ accountId: '712020:carol', displayName: 'Carol', emailAddress: 'carol@acme.com' });
      expect((await api('GET', 'user/search?query=carol@')).body[0].accountId).toBe('712020:carol');
    });

    it('Data Center user search by username', async () => {
      const sim = await start({ flavour: 'datacenter' });
      const api = client(sim);
      const bob = (await api('GET', 'user/search?username=bob')).body;
      expect(bob).toEqual([expect.objectContaining({ name: 'bob', key: 'JIRAUSER10102', displayName: 'Bob', emailAddress: 'bob@acme.com' })]);
      expect((await api('GET', 'user?username=alice')).body.emailAddress).toBe('alice@acme.com');
      expect((await api('GET', 'user?username=nobody')).status).toBe(404);
      expect((await api('GET', '/rest/api/3/user/search?username=bob')).status).toBe(404);
    });
  });
});
