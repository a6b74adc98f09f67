import { Json, bug, client, useSimulators } from './sim-client';

describe('JiraSimulator permission schemes', () => {
  const start = useSimulators();

  it('answers 403 with Jira’s message per operation the bot lacks', async () => {
    const sim = await start();
    const api = client(sim);
    const { key } = (await api('POST', 'issue', bug('perms'))).body;
    sim.setPermissions({ denied: ['CREATE_ISSUES', 'EDIT_ISSUES', 'TRANSITION_ISSUES', 'ASSIGN_ISSUES', 'ADD_COMMENTS'] });
    const calls: Array<[string, string, unknown, string]> = [
      ['POST', 'issue', bug('no'), 'You do not have permission to create issues in this project.'],
      ['PUT', `issue/${key}`, { fields: { summary: 'x' } }, 'You do not have permission to edit issues in this project.'],
      ['POST', `issue/${key}/transitions`, { transition: { id: '21' } }, 'You do not have permission to transition this issue.'],
      ['PUT', `issue/${key}/assignee`, { accountId: '5b10ac8d82e05b22cc7d4ef5' }, 'You do not have permission to assign issues.'],
      ['POST', `issue/${key}/comment`, { body: 'hi' }, 'You do not have permission to comment on this issue.'],
    ];
    for (const [method, path, body, message] of calls) {
      const r = await api(method, path, body);
      expect([r.status, r.body]).toEqual([403, { errorMessages: [message], errors: {} }]);
    }
    expect((await api('GET', `issue/${key}/transitions`)).body.transitions).toEqual([]);
    expect(sim.getIssue(key)!.fields).toMatchObject({ summary: 'perms', assignee: null, status: { name: 'To Do' } });
    sim.setPermissions({});
    expect((await api('PUT', `issue/${key}`, { fields: { summary: 'x' } })).status).toBe(204);
  });

  it('without Browse Projects the project and its issues look absent, as in Jira', async () => {
    const sim = await start({ flavour: 'datacenter' });
    const api = client(sim, 'bearer');
    const { key } = (await api('POST', 'issue', bug('hidden'))).body;
    sim.setPermissions({ denied: ['BROWSE_PROJECTS'] });
    expect((await api('GET', `issue/${key}`)).status).toBe(404);
    expect((await api('GET', 'project/CHK')).status).toBe(404);
    expect((await api('GET', 'search?jql=project%20%3D%20CHK')).body.total).toBe(0);
    expect((await api('POST', 'issue', bug('x'))).body.errors).toEqual({ project: 'Specify a valid project ID or key' });
  });

  it('GET mypermissions reports the scheme; Cloud requires `permissions`', async () => {
    const sim = await start({ permissions: { denied: ['EDIT_ISSUES'] } });
    const api = client(sim);
    const r = await api('GET', 'mypermissions?projectKey=CHK&permissions=BROWSE_PROJECTS,CREATE_ISSUES,EDIT_ISSUES');
    expect(r.status).toBe(200);
    expect(r.body.permissions.CREATE_ISSUES).toEqual({
      id: '11', key: 'CREATE_ISSUES', name: 'Create Issues', type: 'PROJECT', description: 'Ability to create issues.', havePermission: true,
    });
    expect(r.body.permissions.EDIT_ISSUES.havePermission).toBe(false);
    expect(Object.keys(r.body.permissions)).toEqual(['BROWSE_PROJECTS', 'CREATE_ISSUES', 'EDIT_ISSUES']);
    expect((await api('GET', 'mypermissions?projectKey=CHK')).status).toBe(400);
    expect((await api('GET', 'mypermissions?projectKey=NOPE&permissions=CREATE_ISSUES')).status).toBe(404);
    expect((await api('GET', 'mypermissions?permissions=FLY')).status).toBe(400);

    const dc = await start({ flavour: 'datacenter' });
    const all = await client(dc, 'bearer')('GET', 'mypermissions?projectKey=CHK');
    expect(all.body.permissions.ASSIGN_ISSUES.havePermission).toBe(true);
  });

  it('refuses assignees without Assignable User, on PUT assignee and on create', async () => {
    const sim = await start({ flavour: 'datacenter', permissions: { unassignable: ['bob'] } });
    const api = client(sim, 'bearer');
    const { key } = (await api('POST', 'issue', bug('assign'))).body;
    const r = await api('PUT', `issue/${key}/assignee`, { name: 'bob' });
    expect([r.status, r.body]).toEqual([400, { errorMessages: [], errors: { assignee: "User 'bob' cannot be assigned issues." } }]);
    expect((await api('POST', 'issue', bug('c', { assignee: { name: 'bob' } }))).body.errors).toEqual({ assignee: "User 'bob' cannot be assigned issues." });
    expect((await api('PUT', `issue/${key}/assignee`, { name: 'alice' })).status).toBe(204);
  });

  it('user search finds nobody without Browse users and groups (both flavours answer [])', async () => {
    for (const flavour of ['cloud', 'datacenter'] as const) {
      const sim = await start({ flavour, permissions: { denied: ['USER_PICKER'] } });
      const r = await client(sim, flavour === 'cloud' ? 'basic' : 'bearer')('GET', `user/search?${flavour === 'cloud' ? 'query' : 'username'}=alice`);
      expect([r.status, r.body]).toEqual([200, []]);
    }
  });

  it('is set over /_sim', async () => {
    const sim = await start();
    const post = (body: Json) => fetch(`${sim.baseUrl}/_sim/permissions`, { method: 'POST', body: JSON.stringify(body) });
    expect((await post({ denied: ['CREATE_ISSUES'] })).status).toBe(204);
    expect((await client(sim)('POST', 'issue', bug('x'))).status).toBe(403);
    expect((await post({ denied: ['NOT_A_RIGHT'] })).status).toBe(400);
  });
});
