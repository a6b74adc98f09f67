import { bug, client, Json, useSimulators } from './sim-client';

describe('JiraSimulator', () => {
  const start = useSimulators();

  describe('authentication', () => {
    it('Cloud accepts only Basic email:apiToken', async () => {
      const sim = await start();
      expect((await client(sim)('GET', 'myself')).body).toMatchObject({ accountId: '5b10ac8d82e05b22cc7d4e00', emailAddress: 'bot@acme.com' });
      for (const auth of [null, 'Basic ' + Buffer.from('bot@acme.com:wrong').toString('base64'), 'Basic ' + Buffer.from(`bot:${sim.credentials.apiToken}`).toString('base64'), 'bearer']) {
        const r = await client(sim, auth)('GET', 'myself');
        expect(r.status).toBe(401);
        expect(r.body).toEqual({ errorMessages: [expect.stringMatching(/^You are not authenticated/)], errors: {} });
      }
      expect(sim.requests.map((r) => r.status)).toEqual([200, 401, 401, 401, 401]);
      expect(sim.requests[0]).toMatchObject({ method: 'GET', path: '/rest/api/2/myself' });
    });

    it('Data Center accepts Basic username:password and Bearer PAT, under a context path', async () => {
      const sim = await start({ flavour: 'datacenter', contextPath: '/jira' });
      expect(sim.apiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/jira\/rest\/api\/2\/$/);
      const basic = await client(sim)('GET', 'myself');
      expect(basic.status).toBe(200);
      expect(basic.body).toMatchObject({ name: 'bot', key: 'JIRAUSER10000' });
      expect(basic.body.accountId).toBeUndefined();
      expect((await client(sim, 'bearer')('GET', 'myself')).status).toBe(200);
      expect((await client(sim, 'Bearer nope')('GET', 'myself')).status).toBe(401);
      const email = 'Basic ' + Buffer.from(`bot@acme.com:${sim.credentials.apiToken}`).toString('base64');
      expect((await client(sim, email)('GET', 'myself')).status).toBe(401);
      expect((await client(sim, null)('GET', 'myself')).status).toBe(401);
      // outside the context path there is no REST API
      const res = await fetch(sim.baseUrl.replace('/jira', '') + '/rest/api/2/myself', { headers: { authorization: `Bearer ${sim.credentials.pat}` } });
      expect(res.status).toBe(404);
    });

    it('serverInfo tells the flavours apart', async () => {
      const cloud = await start();
      const dc = await start({ flavour: 'datacenter' });
      expect((await client(cloud)('GET', 'serverInfo')).body.deploymentType).toBe('Cloud');
      expect((await client(dc)('GET', 'serverInfo')).body).toMatchObject({ deploymentType: 'Server', versionNumbers: [9, 12, 15] });
    });
  });

  describe('metadata', () => {
    it('answers project, field and 404 for unknown projects and paths', async () => {
      const sim = await start();
      const api = client(sim);
      expect((await api('GET', 'project/CHK')).body).toMatchObject({ id: '10000', key: 'CHK', name: 'Checkout' });
      expect((await api('GET', 'project/10000')).body.versions.map((v: Json) => v.name)).toEqual(['2.3.9', '2.4.0', '2.4.1', '2.5.0', 'v2.3.8 hotfix', 'Release 2.6.0', 'Next release']);
      const missing = await api('GET', 'project/NOPE');
      expect(missing.status).toBe(404);
      expect(missing.body).toEqual({ errorMessages: ["No project could be found with key 'NOPE'."], errors: {} });
      const fields = (await api('GET', 'field')).body as Json[];
      expect(fields.find((f) => f.id === 'customfield_10010')).toMatchObject({ name: 'Platform', custom: true, schema: { type: 'option' } });
      expect(fields.find((f) => f.id === 'customfield_10011')).toMatchObject({ name: 'Build', schema: { type: 'array', items: 'string' } });
      expect(fields.find((f) => f.id === 'labels')).toMatchObject({ custom: false, schema: { type: 'array', items: 'string', system: 'labels' } });
      const unknown = await api('GET', 'nothing/here');
      expect(unknown.status).toBe(404);
      expect(unknown.body.errorMessages).toHaveLength(1);
    });

    it('Cloud createmeta answers issueTypes and fields', async () => {
      const sim = await start();
      const api = client(sim);
      const types = await api('GET', 'issue/createmeta/CHK/issuetypes');
      expect(types.body).toMatchObject({ startAt: 0, maxResults: 50, total: 2 });
      expect(types.body.issueTypes.map((t: Json) => [t.id, t.name])).toEqual([['10004', 'Bug'], ['10002', 'Task']]);
      expect(types.body.values).toBeUndefined();
      const meta = (await api('GET', 'issue/createmeta/CHK/issuetypes/10004')).body;
      expect(meta.values).toBeUndefined();
      const byId = Object.fromEntries(meta.fields.map((f: Json) => [f.fieldId, f]));
      expect(byId.summary).toMatchObject({ required: true, key: 'summary', name: 'Summary' });
      expect(byId.customfield_10010).toMatchObject({ required: false, name: 'Platform', schema: { type: 'option', custom: expect.stringContaining(':select') } });
      expect(byId.customfield_10010.allowedValues.map((v: Json) => v.value)).toEqual(['Linux', 'Windows', 'macOS']);
      expect(byId.fixVersions.allowedValues.map((v: Json) => v.name)).toEqual(['2.3.9', '2.4.0', '2.4.1', '2.5.0', 'v2.3.8 hotfix', 'Release 2.6.0', 'Next release']);
      expect(byId.priority.allowedValues.map((v: Json) => v.name)).toEqual(['Highest', 'High', 'Medium', 'Low', 'Lowest']);
      expect(byId.priority.defaultValue).toMatchObject({ id: '3', name: 'Medium' });
      expect(byId.components).toMatchObject({ required: false, schema: { type: 'array', items: 'component', system: 'components' }, operations: ['add', 'set', 'remove'] });
      expect(byId.components.allowedValues).toEqual(['10200', '10201', '10202'].map((id, i) => ({ self: `${sim.apiUrl}component/${id}`, id, name: ['Backend', 'Frontend', 'Payments'][i] })));
      sim.setRequired('customfield_10010', true);
      const after = (await api('GET', 'issue/createmeta/CHK/issuetypes/10004')).body.fields.find((f: Json) => f.fieldId === 'customfield_10010');
      expect(after.required).toBe(true);
      // the Task screen has no custom fields
      const task = (await api('GET', 'issue/createmeta/CHK/issuetypes/10002')).body.fields.map((f: Json) => f.fieldId);
      expect(task).not.toContain('customfield_10010');
      expect((await api('GET', 'issue/createmeta/NOPE/issuetypes')).status).toBe(404);
    });

    it('Data Center createmeta answers values/isLast and pages with startAt/maxResults', async () => {
      const sim = await start({ flavour: 'datacenter' });
      const api = client(sim, 'bearer');
      const types = (await api('GET', 'issue/createmeta/CHK/issuetypes')).body;
      expect(types).toMatchObject({ startAt: 0, isLast: true, total: 2 });
      expect(types.values.map((t: Json) => t.name)).toEqual(['Bug', 'Task']);
      const full = (await api('GET', 'issue/createmeta/CHK/issuetypes/10004')).body;
      expect(full).toMatchObject({ startAt: 0, maxResults: 50, isLast: true });
      expect(full.fields).toBeUndefined();
      expect(full.total).toBeGreaterThan(15);
      expect(full.values[0].key).toBeUndefined(); // Data Center has fieldId only
      const paged: Json[] = [];
      const lasts: boolean[] = [];
      for (let startAt = 0; ; startAt += 5) {
        const page = (await api('GET', `issue/createmeta/CHK/issuetypes/10004?startAt=${startAt}&maxResults=5`)).body;
        expect(page.values.length).toBeLessThanOrEqual(5);
        paged.push(...page.values);
        lasts.push(page.isLast);
        if (page.isLast) break;
      }
      expect(lasts.length).toBeGreaterThan(3);
      expect(lasts.slice(0, -1).every((l) => !l)).toBe(true);
      expect(paged).toEqual(full.values);
    });
  });

  describe('POST /issue', () => {
    it('creates issues with Jira keys and ids, storing values in Jira representation', async () => {
      const sim = await start();
      const api = client(sim);
      const r = await api('POST', 'issue', bug('SIGSEGV in parse_header', {
        description: 'callstack',
        labels: ['crashbridge', 'fp-5f2c'],
        priority: { name: 'High' },
        fixVersions: [{ name: '2.4.1' }],
        assignee: { accountId: '5b10ac8d82e05b22cc7d4ef5' },
        duedate: '2026-12-01',
        customfield_10010: { value: 'Linux' },
        customfield_10011: ['1234', 'nightly'],
        customfield_10012: 7.5,
        customfield_10013: '2026-11-25T10:00:00Z',
        customfield_10014: { accountId: '5b10ac8d82e05b22cc7d4ef6' },
        customfield_10015: [{ name: '2.4.0' }],
        customfield_10016: [{ value: 'Backend' }, { value: 'Payments' }],
      }));
      expect(r.status).toBe(201);
      expect(r.body).toEqual({ id: '10000', key: 'CHK-1', self: `${sim.apiUrl}issue/10000` });
      expect((await api('POST', 'issue', bug('second'))).body).toMatchObject({ id: '10001', key: 'CHK-2' });

      const got = (await api('GET', 'issue/CHK-1')).body;
      expect(got).toMatchObject({ id: '10000', key: 'CHK-1' });
      const f = got.fields;
      expect(f.status).toMatchObject({ name: 'To Do', id: '1', statusCategory: { key: 'new' } });
      expect(f.customfield_10010).toMatchObject({ value: 'Linux', id: expect.any(String) });
      expect(f.customfield_10016.map((o: Json) => o.value)).toEqual(['Backend', 'Payments']);
      expect(f.customfield_10013).toBe('2026-11-25T10:00:00.000+0000');
      expect(f.customfield_10014).toMatchObject({ accountId: '5b10ac8d82e05b22cc7d4ef6', displayName: 'Bob' });
      expect(f.customfield_10014.emailAddress).toBeUndefined(); // Bob hides his email
      expect(f.fixVersions.map((v: Json) => v.name)).toEqual(['2.4.1']);
      expect(f.assignee.displayName).toBe('Alice');
      expect(f.reporter.accountId).toBe('5b10ac8d82e05b22cc7d4e00');
      expect(f.priority.name).toBe('High');
      expect(f.labels).toEqual(['crashbridge', 'fp-5f2c']);
      expect(f.resolution).toBeNull();

      const some = (await api('GET', 'issue/10000?fields=summary,status')).body;
      expect(Object.keys(some.fields).sort()).toEqual(['status', 'summary']);
      expect(sim.getIssue('CHK-1')?.fields.summary).toBe('SIGSEGV in parse_header');
      expect((await api('GET', 'issue/CHK-99')).status).toBe(404);
    });

    it('rejects invalid fields like Jira', async () => {
      const sim = await start();
      const api = client(sim);
      const expectError = async (body: unknown, errors: Record<string, string>) => {
        const r = await api('POST', 'issue', body);
        expect(r.status).toBe(400);
        expect(r.body).toEqual({ errorMessages: [], errors });
      };
      sim.setRequired('customfield_10010', true);
      await expectError(bug('no platform'), { customfield_10010: 'Platform is required.' });
      await expectError(bug('x', { customfield_10010: { value: 'Linux' }, customfield_99999: 'x' }), {
        customfield_99999: "Field 'customfield_99999' cannot be set. It is not on the appropriate screen, or unknown.",
      });
      await expectError(bug('x', { customfield_10010: { value: 'Solaris' } }), { customfield_10010: "Option value 'Solaris' is not valid" });
      await expectError(bug('x', { customfield_10010: { value: 'Linux' }, labels: ['a b'] }), { labels: "The label 'a b' contains spaces which is invalid." });
      await expectError(bug('x', { customfield_10010: { value: 'Linux' }, customfield_10011: ['nightly build'] }), {
        customfield_10011: "The label 'nightly build' contains spaces which is invalid.",
      });
      await expectError(bug('y'.repeat(256), { customfield_10010: { value: 'Linux' } }), { summary: 'Summary must be less than 255 characters.' });
      await expectError(bug('two\nlines', { customfield_10010: { value: 'Linux' } }), { summary: 'The summary is invalid because it contains newline characters.' });
      await expectError(
        bug('x', { customfield_10010: 'Linux', customfield_10012: 'high', labels: 'a,b', customfield_10015: [{ name: '9.9.9' }] }),
        {
          customfield_10010: 'data was not an object',
          customfield_10012: 'Operation value must be a number',
          labels: 'data was not an array',
          customfield_10015: "Version name '9.9.9' is not valid",
        },
      );
      await expectError(bug('x', { customfield_10010: { value: 'Linux' }, fixVersions: [{ name: '3.0.0' }] }), { fixVersions: "Version name '3.0.0' is not valid" });
      await expectError(bug('x', { customfield_10010: { value: 'Linux' }, assignee: { name: 'alice' } }), {
        assignee: "Specify a valid accountId for Assignee. 'name' and 'key' are not supported.",
      });
      await expectError({ fields: { project: { key: 'CHK' }, issuetype: { name: 'Bug' }, customfield_10010: { value: 'Linux' } } }, {
        summary: 'You must specify a summary of the issue.',
      });
      await expectError({ fields: { project: { key: 'NOPE' }, issuetype: { name: 'Bug' }, summary: 'x' } }, { project: 'Specify a valid project ID or key' });
      await expectError({ fields: { project: { key: 'CHK' }, issuetype: { name: 'Epic' }, summary: 'x' } }, { issuetype: 'The issue type selected is invalid.' });
      await expectError({ fields: { project: { key: 'CHK' }, summary: 'x' } }, { issuetype: 'Specify an issue type' });
      // custom fields are not on the Task screen
      await expectError({ fields: { project: { key: 'CHK' }, issuetype: { id: '10002' }, summary: 'x', customfield_10010: { value: 'Linux' } } }, {
        customfield_10010: "Field 'customfield_10010' cannot be set. It is not on the appropriate screen, or unknown.",
      });
      // exactly 255 characters is fine
      expect((await api('POST', 'issue', bug('z'.repeat(255), { customfield_10010: { value: 'Linux' } }))).status).toBe(201);
      // a JSON body sent as text/plain
      expect((await api('POST', 'issue', JSON.stringify(bug('x')), 'text/plain')).status).toBe(415);
      expect(sim.listIssues()).toHaveLength(1);
    });

    it('validates Data Center users by name and added fields', async () => {
      const sim = await start({ flavour: 'datacenter' });
      const api = client(sim);
      sim.addField({ id: 'customfield_10100', name: 'Team', custom: true, schema: { type: 'string', custom: 'com.atlassian.jira.plugin.system.customfieldtypes:textfield' } });
      sim.setRequired('customfield_10100', true, 'Bug');
      expect((await api('POST', 'issue', bug('x'))).body.errors).toEqual({ customfield_10100: 'Team is required.' });
      const bad = await api('POST', 'issue', bug('x', { customfield_10100: 'core', assignee: { name: 'mallory' } }));
      expect(bad.body.errors).toEqual({ assignee: "User 'mallory' does not exist." });
      const ok = await api('POST', 'issue', bug('x', { customfield_10100: 'core', assignee: { name: 'alice' } }));
      expect(ok.status).toBe(201);
      expect(sim.getIssue(ok.body.key)?.fields.assignee).toMatchObject({ name: 'alice', key: 'JIRAUSER10101', emailAddress: 'alice@acme.com' });
      expect((await api('GET', 'field')).body.map((f: Json) => f.id)).toContain('customfield_10100');
    });
  });
});
