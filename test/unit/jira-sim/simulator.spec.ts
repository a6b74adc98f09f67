import { createHmac, timingSafeEqual } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { JiraSimulator, JiraSimOptions } from '../../jira-sim';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON answers
type Json = any;
interface Answer {
  status: number;
  headers: Headers;
  body: Json;
}

/** A REST client for the simulator: paths are relative to apiUrl, or to baseUrl when they start with /rest. */
function client(sim: JiraSimulator, auth: 'basic' | 'bearer' | string | null = 'basic') {
  const c = sim.credentials;
  const user = sim.flavour === 'cloud' ? c.email : c.username;
  const header =
    auth === 'basic' ? 'Basic ' + Buffer.from(`${user}:${c.apiToken}`).toString('base64') : auth === 'bearer' ? `Bearer ${c.pat}` : auth;
  return async (method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<Answer> => {
    const url = path.startsWith('/rest') ? sim.baseUrl + path : sim.apiUrl + path;
    const headers: Record<string, string> = {};
    if (header) headers.authorization = header;
    if (body !== undefined) headers['content-type'] = contentType;
    const res = await fetch(url, { method, headers, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
  };
}

const bug = (summary: string, extra: Record<string, unknown> = {}) => ({
  fields: { project: { key: 'CHK' }, issuetype: { name: 'Bug' }, summary, ...extra },
});

/** A tiny webhook receiver that records raw bodies and headers. */
async function receiver(status = 200) {
  const got: Array<{ url: string; headers: http.IncomingHttpHeaders; raw: string; json: Json }> = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      got.push({ url: req.url ?? '', headers: req.headers, raw, json: JSON.parse(raw) });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/jira/checkout`;
  const close = () => new Promise<void>((r) => { server.close(() => r()); server.closeAllConnections(); });
  return { url, got, close };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('JiraSimulator', () => {
  const sims: JiraSimulator[] = [];
  const start = async (opts: JiraSimOptions = {}) => {
    const sim = await JiraSimulator.start(opts);
    sims.push(sim);
    return sim;
  };
  afterEach(async () => {
    await Promise.all(sims.splice(0).map((s) => s.stop()));
  });

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
      expect(byId.priority.allowedValues.map((v: Json) => v.name)).toEqual(['High', 'Medium', 'Low']);
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

  describe('Cloud search', () => {
    it('answers 410 on the removed /search API', async () => {
      const sim = await start();
      const api = client(sim);
      for (const [method, path] of [['GET', 'search?jql=project=CHK'], ['POST', 'search'], ['GET', '/rest/api/3/search?jql=project=CHK']]) {
        const r = await api(method, path, method === 'POST' ? { jql: 'project = CHK' } : undefined);
        expect(r.status).toBe(410);
        expect(r.body.errorMessages[0]).toMatch(/^The requested API has been removed\. Please migrate to the \/rest\/api\/3\/search\/jql API/);
      }
    });

    it('pages with nextPageToken and returns only ids unless fields are asked', async () => {
      const sim = await start();
      const api = client(sim);
      for (let n = 1; n <= 5; n++) await api('POST', 'issue', bug(`crash ${n}`, { labels: ['crashbridge'] }));
      const ids: string[] = [];
      let token: string | undefined;
      let pages = 0;
      do {
        const q = new URLSearchParams({ jql: 'project = CHK AND labels = crashbridge ORDER BY key ASC', maxResults: '2', ...(token ? { nextPageToken: token } : {}) });
        const r = (await api('GET', `/rest/api/3/search/jql?${q}`)).body;
        pages++;
        for (const issue of r.issues) {
          expect(Object.keys(issue)).toEqual(['id']);
          ids.push(issue.id);
        }
        expect(r.total).toBeUndefined();
        expect(r.isLast).toBe(r.nextPageToken === undefined);
        token = r.nextPageToken;
      } while (token);
      expect(pages).toBe(3);
      expect(ids).toEqual(['10000', '10001', '10002', '10003', '10004']);

      const withFields = (await api('POST', 'search/jql', { jql: 'key in (CHK-2, CHK-4) ORDER BY key DESC', fields: ['summary', 'status'] })).body;
      expect(withFields.isLast).toBe(true);
      expect(withFields.issues.map((i: Json) => [i.key, i.fields.summary, i.fields.status.name])).toEqual([
        ['CHK-4', 'crash 4', 'To Do'],
        ['CHK-2', 'crash 2', 'To Do'],
      ]);
      expect(Object.keys(withFields.issues[0].fields).sort()).toEqual(['status', 'summary']);
      const all = (await api('GET', 'search/jql?jql=project%3DCHK&fields=*all&maxResults=1')).body.issues[0];
      expect(all.fields.customfield_10010).toBeNull();
      expect(all.fields.labels).toEqual(['crashbridge']);
    });

    it('rejects unbounded, unsupported and wrong JQL', async () => {
      const sim = await start();
      const api = client(sim);
      await api('POST', 'issue', bug('one'));
      const search = (jql: string) => api('POST', 'search/jql', { jql });
      expect((await search('')).status).toBe(400);
      const orQuery = await search('project = CHK OR labels = x');
      expect(orQuery.status).toBe(400);
      expect(orQuery.body.errorMessages[0]).toMatch(/^Error in the JQL Query: /);
      expect((await search('project = CHK AND labels ~ x')).status).toBe(400);
      expect((await search('project = NOPE')).body.errorMessages).toEqual(["The value 'NOPE' does not exist for the field 'project'."]);
      expect((await search('key in (CHK-1, CHK-99)')).body.errorMessages).toEqual(["An issue with key 'CHK-99' does not exist for field 'key'."]);
      expect((await search('project = CHK AND updated >= "yesterday"')).status).toBe(400);
      expect((await search('priority = High')).body.errorMessages[0]).toMatch(/Field 'priority' does not exist/);
    });

    it('matches whole words with ~, and filters by labels, status and dates', async () => {
      const sim = await start();
      const api = client(sim);
      await api('POST', 'issue', bug('[2.4.0] crash fp-1', { labels: ['crashbridge', 'cb-fp-1'] }));
      await api('POST', 'issue', bug('[2.4.0] crash fp-10', { labels: ['crashbridge', 'cb-fp-10'] }));
      await api('POST', 'issue', bug('other', { description: 'mentions FP-1 in the text' }));
      const keys = async (jql: string) => (await api('POST', 'search/jql', { jql, fields: ['key'] })).body.issues.map((i: Json) => i.key);
      expect(await keys('summary ~ "fp-1"')).toEqual(['CHK-1']);
      expect(await keys('summary ~ "fp-10"')).toEqual(['CHK-2']);
      expect(await keys('text ~ "fp-1" ORDER BY key ASC')).toEqual(['CHK-1', 'CHK-3']);
      expect(await keys('summary ~ "fp*" ORDER BY key ASC')).toEqual(['CHK-1', 'CHK-2']);
      expect(await keys('project = CHK AND labels = "cb-fp-1"')).toEqual(['CHK-1']);
      expect(await keys('labels in ("cb-fp-10", "nope")')).toEqual(['CHK-2']);
      expect(await keys('project = CHK AND labels is EMPTY')).toEqual(['CHK-3']);
      sim.transition('CHK-2', 'Done');
      expect(await keys('project = CHK AND status = "Done"')).toEqual(['CHK-2']);
      expect(await keys('project = CHK AND statusCategory != done ORDER BY key ASC')).toEqual(['CHK-1', 'CHK-3']);
      expect(await keys('project = CHK AND resolution = Unresolved ORDER BY key ASC')).toEqual(['CHK-1', 'CHK-3']);
      expect(await keys('project = CHK AND updated >= -5m ORDER BY updated DESC')).toEqual(['CHK-2', 'CHK-3', 'CHK-1']);
      const since = sim.getIssue('CHK-2')!.updatedAt;
      expect(await keys(`project = CHK AND updated >= ${since}`)).toEqual(['CHK-2']);
      expect(await keys('project = CHK AND updated >= "2020-01-01 10:00" AND updated < "2099/01/01"')).toHaveLength(3);
      expect(await keys('project = CHK AND created > -1m AND id in (10000, 10002) ORDER BY key ASC')).toEqual(['CHK-1', 'CHK-3']);
    });

    it('hides new issues from search for searchVisibilityDelayMs (eventual consistency)', async () => {
      const sim = await start({ searchVisibilityDelayMs: 400 });
      const api = client(sim);
      const { id, key } = (await api('POST', 'issue', bug('fresh', { labels: ['cb-fp-new'] }))).body;
      const search = () => api('POST', 'search/jql', { jql: 'project = CHK AND labels = "cb-fp-new"' });
      expect((await search()).body.issues).toEqual([]);
      expect((await api('GET', `issue/${key}`)).status).toBe(200); // reads by key are immediate
      const reconciled = await api('POST', 'search/jql', { jql: 'project = CHK AND labels = "cb-fp-new"', reconcileIssues: [Number(id)] });
      expect(reconciled.body.issues).toEqual([{ id }]);
      await sleep(450);
      expect((await search()).body.issues).toEqual([{ id }]);
    });
  });

  describe('Data Center search', () => {
    it('pages with startAt/maxResults/total and has no /search/jql', async () => {
      const sim = await start({ flavour: 'datacenter', searchVisibilityDelayMs: 10_000 });
      const api = client(sim, 'bearer');
      for (let n = 1; n <= 5; n++) await api('POST', 'issue', bug(`crash ${n}`));
      const page = (await api('GET', 'search?jql=project%20%3D%20CHK%20ORDER%20BY%20key%20ASC&startAt=2&maxResults=2')).body;
      expect(page).toMatchObject({ startAt: 2, maxResults: 2, total: 5 });
      expect(page.issues.map((i: Json) => [i.key, i.fields.summary])).toEqual([['CHK-3', 'crash 3'], ['CHK-4', 'crash 4']]);
      const post = (await api('POST', 'search', { jql: 'key = CHK-5', fields: ['status'] })).body;
      expect(post.total).toBe(1);
      expect(Object.keys(post.issues[0].fields)).toEqual(['status']);
      expect((await api('GET', 'search/jql?jql=project%3DCHK')).status).toBe(404);
      expect((await api('GET', 'search?jql=project%3DNOPE')).status).toBe(400);
    });
  });

  describe('faults', () => {
    it('rate limits with Retry-After, then recovers', async () => {
      const sim = await start();
      const api = client(sim);
      sim.faults.rateLimit({ requests: 2, retryAfterSeconds: 3 });
      const a = await api('GET', 'myself');
      const b = await api('POST', 'issue', bug('limited'));
      expect([a.status, b.status]).toEqual([429, 429]);
      expect(a.headers.get('retry-after')).toBe('3');
      expect(sim.listIssues()).toEqual([]);
      expect((await api('GET', 'myself')).status).toBe(200);
      sim.faults.rateLimit({ requests: 1, retryAfterSeconds: 1, status: 503 });
      const c = await api('GET', 'myself');
      expect(c.status).toBe(503);
      expect(c.headers.get('retry-after')).toBe('1');
      expect(sim.requests.map((r) => r.status)).toEqual([429, 429, 200, 503]);
    });

    it('answers bursts of server errors', async () => {
      const sim = await start();
      const api = client(sim);
      sim.faults.serverErrors(2);
      expect([(await api('GET', 'myself')).status, (await api('GET', 'field')).status, (await api('GET', 'myself')).status]).toEqual([500, 500, 200]);
      sim.faults.serverErrors(1, 502);
      expect((await api('GET', 'myself')).status).toBe(502);
      sim.faults.serverErrors(5);
      sim.faults.reset();
      expect((await api('GET', 'myself')).status).toBe(200);
    });

    it('drops create responses after storing the issue', async () => {
      const sim = await start();
      const api = client(sim);
      sim.faults.dropCreateResponses(1);
      await expect(api('POST', 'issue', bug('lost'))).rejects.toThrow();
      expect(sim.listIssues().map((i) => [i.key, i.fields.summary])).toEqual([['CHK-1', 'lost']]);
      expect(sim.requests.at(-1)).toMatchObject({ method: 'POST', path: '/rest/api/2/issue', status: 0, body: bug('lost') });
      expect((await api('POST', 'issue', bug('lost'))).body.key).toBe('CHK-2');

      sim.faults.dropCreateResponses('first-per-summary');
      await expect(api('POST', 'issue', bug('A'))).rejects.toThrow();
      expect((await api('POST', 'issue', bug('A'))).status).toBe(201);
      await expect(api('POST', 'issue', bug('B'))).rejects.toThrow();
      expect(sim.listIssues().map((i) => i.fields.summary)).toEqual(['lost', 'lost', 'A', 'A', 'B']);
    });

    it('delays responses', async () => {
      const sim = await start();
      sim.faults.latency(150);
      const t0 = Date.now();
      expect((await client(sim)('GET', 'myself')).status).toBe(200);
      expect(Date.now() - t0).toBeGreaterThanOrEqual(145);
    });
  });

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
