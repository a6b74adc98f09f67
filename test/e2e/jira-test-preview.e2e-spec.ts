import { createHash } from 'node:crypto';
import { JiraSimulator } from '../jira-sim';
import { createProject, startTestApp, TestApp } from '../support/test-app';

/** Test connection and Preview against the Jira simulator, Cloud (Basic) and Data Center (Bearer). */

const DEAD_JIRA = 'http://127.0.0.1:1/rest/api/2/';

const marker = (projectKey: string, fingerprint: string) =>
  `cb-${createHash('sha256').update(`${projectKey}:${fingerprint}`).digest('hex').slice(0, 16)}`;

const FLAVOURS = [
  { flavour: 'cloud' as const, name: 'Jira Cloud', authFailure: 'Jira answered 401: check the email and API token' },
  { flavour: 'datacenter' as const, name: 'Jira Data Center', authFailure: 'Jira answered 401: check the personal access token' },
];

describe.each(FLAVOURS)('Jira test connection and preview ($flavour)', ({ flavour, name, authFailure }) => {
  let app: TestApp;
  let sim: JiraSimulator;
  let key: string;

  const auth = () =>
    flavour === 'cloud'
      ? { type: 'basic', email: sim.credentials.email, apiToken: sim.credentials.apiToken }
      : { type: 'bearer', token: sim.credentials.pat };
  const wrongAuth = () => (flavour === 'cloud' ? { ...auth(), apiToken: 'wrong-token' } : { ...auth(), token: 'wrong-token' });
  /** The auth object as a form re-sends it: no secret, so the saved one is used. */
  const authWithoutSecret = () => (flavour === 'cloud' ? { type: 'basic', email: sim.credentials.email } : { type: 'bearer' });

  const settings = (overrides: Record<string, unknown> = {}) => ({
    apiUrl: sim.apiUrl,
    auth: auth(),
    projectKey: 'CHK',
    issueType: 'Bug',
    subject: '[$version] {{title}}',
    labels: 'crashbridge, $platform, hot fix',
    customFields: [
      { field: 'Platform', value: '$platform' },
      { field: 'customfield_10011', value: '$build, nightly' },
    ],
    fixVersionSync: { enabled: true, versionAttribute: 'version' },
    // Ingesting groups here must not create issues: the preview tests assert that Jira sees only GETs.
    createRules: { onNewGroup: false },
    ...overrides,
  });

  const put = (projectKey: string, body: object) => app.admin('put', `/api/v1/projects/${projectKey}/integrations/jira`).send(body);
  const test = (projectKey: string, body?: object) => {
    const req = app.admin('post', `/api/v1/projects/${projectKey}/integrations/jira/test`);
    return body === undefined ? req : req.send(body);
  };
  const preview = (projectKey: string, body: object) => app.admin('post', `/api/v1/projects/${projectKey}/integrations/jira/preview`).send(body);
  type Check = { name: string; ok: boolean; detail: string };
  const check = (body: { checks: Check[] }, checkName: string) => body.checks.find((c) => c.name === checkName);

  beforeAll(async () => {
    app = await startTestApp();
    sim = await JiraSimulator.start({ flavour });
    ({ key } = await createProject(app));
    await put(key, settings()).expect(200);
  });
  afterAll(async () => {
    await sim?.stop();
    await app?.stop();
  });
  afterEach(() => sim.faults.reset());

  describe('POST .../integrations/jira/test', () => {
    it('passes every check with the saved settings', async () => {
      const res = await test(key).expect(200);
      expect(res.body.ok).toBe(true);
      expect(res.body.checks.map((c: { name: string }) => c.name)).toEqual(['auth', 'project', 'issueType', 'requiredFields', 'fields']);
      expect(res.body.checks.every((c: { ok: boolean }) => c.ok)).toBe(true);
      expect(check(res.body, 'auth')?.detail).toBe(`Authenticated as Crashbridge Bot (bot@acme.com) on ${name}`);
      expect(check(res.body, 'project')?.detail).toContain('CHK');
      expect(check(res.body, 'issueType')?.detail).toContain('Bug');
      expect(check(res.body, 'fields')?.detail).toContain('Fix versions is on the Bug create screen');
    });

    it('tests unsaved settings, taking what the body leaves out (the token included) from the saved ones', async () => {
      const res = await test(key, { auth: authWithoutSecret(), issueType: 'task', customFields: [] }).expect(200);
      expect(res.body.ok).toBe(true);
      expect(check(res.body, 'issueType')?.detail).toContain('Task');
    });

    it('reports a wrong token on the auth check and skips the rest', async () => {
      const res = await test(key, { auth: wrongAuth() }).expect(200);
      expect(res.body.ok).toBe(false);
      expect(res.body.checks[0]).toEqual({ name: 'auth', ok: false, detail: authFailure });
      for (const c of res.body.checks.slice(1)) expect(c).toMatchObject({ ok: false, detail: expect.stringMatching(/^skipped: /) });
    });

    it('reports an unknown project', async () => {
      const res = await test(key, { projectKey: 'NOPE' }).expect(200);
      expect(res.body.ok).toBe(false);
      expect(check(res.body, 'auth')?.ok).toBe(true);
      expect(check(res.body, 'project')).toMatchObject({ ok: false, detail: expect.stringContaining("'NOPE' not found") });
      expect(check(res.body, 'issueType')?.detail).toMatch(/^skipped: /);
    });

    it('reports an unknown issue type with the available ones', async () => {
      const res = await test(key, { issueType: 'Story' }).expect(200);
      expect(res.body.ok).toBe(false);
      expect(check(res.body, 'issueType')).toMatchObject({ ok: false, detail: expect.stringContaining('available: Bug, Task') });
      expect(check(res.body, 'requiredFields')?.detail).toMatch(/^skipped: /);
    });

    it('names a required custom field that the settings do not fill, until customFields fills it', async () => {
      sim.setRequired('customfield_10010', true, 'Bug');
      try {
        const missing = await test(key, { customFields: [] }).expect(200);
        expect(missing.body.ok).toBe(false);
        expect(check(missing.body, 'requiredFields')).toEqual({
          name: 'requiredFields',
          ok: false,
          detail: "Jira requires field 'Platform' (customfield_10010) for Bug in CHK; add it under Custom fields",
        });
        // By name, case-insensitive.
        const fixed = await test(key, { customFields: [{ field: 'platform', value: '$platform' }] }).expect(200);
        expect(fixed.body.ok).toBe(true);
        const byId = await test(key, { customFields: [{ field: 'customfield_10010', value: 'Linux' }] }).expect(200);
        expect(byId.body.ok).toBe(true);
      } finally {
        sim.setRequired('customfield_10010', false, 'Bug');
      }
    });

    it('reports a custom field that does not exist in Jira', async () => {
      const res = await test(key, { customFields: [{ field: 'Platfrom', value: '$platform' }] }).expect(200);
      expect(res.body.ok).toBe(false);
      expect(check(res.body, 'fields')).toMatchObject({ ok: false, detail: expect.stringContaining("unknown Jira field 'Platfrom'") });
      expect(check(res.body, 'requiredFields')?.ok).toBe(true);
    });

    it('turns a Jira 5xx and an unreachable Jira into failed checks, never a 500', async () => {
      sim.faults.serverErrors(20, 500);
      const down = await test(key).expect(200);
      expect(check(down.body, 'auth')).toMatchObject({ ok: false, detail: expect.stringContaining('Jira 500') });
      sim.faults.reset();

      const unreachable = await test(key, { apiUrl: DEAD_JIRA, auth: auth() }).expect(200);
      expect(check(unreachable.body, 'auth')).toMatchObject({ ok: false, detail: expect.stringContaining('could not reach Jira') });
    });

    it('never sends the saved token to another site', async () => {
      const res = await test(key, { apiUrl: DEAD_JIRA, auth: authWithoutSecret() }).expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, code: 'AUTH_SECRET_REQUIRED' });
    });

    it('validates the body like the settings PUT', async () => {
      const res = await test(key, { apiUrl: 'ftp://jira.example.com', customFields: [{ value: 'x' }], sync: 'yes' }).expect(400);
      expect(res.body.error).toBe('Bad Request');
      const text = res.body.message.join('\n');
      expect(text).toMatch(/apiUrl/);
      expect(text).toMatch(/customFields\[0\]\.field/);
      expect(text).toMatch(/sync/);
    });

    it('without saved settings: 404 with no body, 400 naming what is missing, and a full body works', async () => {
      const { key: fresh } = await createProject(app);
      const none = await test(fresh).expect(404);
      expect(none.body).toMatchObject({ statusCode: 404, code: 'INTEGRATION_NOT_FOUND' });
      const partial = await test(fresh, { projectKey: 'CHK' }).expect(400);
      expect(partial.body.message.join('\n')).toMatch(/apiUrl/);
      const full = await test(fresh, settings()).expect(200);
      expect(full.body.ok).toBe(true);
      await test('no-such-project').expect(404);
      // Admin only: no token is a 401, a project's ingest token a 403.
      await app.http().post(`/api/v1/projects/${key}/integrations/jira/test`).expect(401);
      const { ingestToken } = await createProject(app);
      await app.http().post(`/api/v1/projects/${key}/integrations/jira/preview`).set('Authorization', `Bearer ${ingestToken}`).send({ fingerprint: 'x' }).expect(403);
    });
  });

  describe('POST .../integrations/jira/preview', () => {
    const stored = {
      fingerprint: 'fp-preview-1',
      title: 'SIGSEGV in parse_header',
      callstack: ['parse_header', 'read_request', 'main'],
      count: 12,
      attributes: { version: { '2.4.0': 10, '2.5.0': 2 }, platform: { linux: 12 }, build: [['1234', 3]] },
    };

    beforeAll(async () => {
      await app.admin('post', `/api/v1/projects/${key}/groups`).send(stored).expect(201);
    });

    it('renders a stored group exactly as the ticket would be created, and sends Jira nothing but GETs', async () => {
      sim.clearRequests();
      const res = await preview(key, { fingerprint: stored.fingerprint }).expect(200);
      expect(sim.requests.length).toBeGreaterThan(0);
      expect(sim.requests.filter((r) => r.method !== 'GET')).toEqual([]);

      const { fields, warnings, errors } = res.body;
      expect(warnings).toEqual([]);
      expect(errors).toEqual([]);
      expect(fields.project).toEqual({ key: 'CHK' });
      expect(fields.issuetype).toEqual({ id: '10004' });
      expect(fields.summary).toBe('[2.4.0] SIGSEGV in parse_header'); // $version = top value
      expect(fields.labels).toEqual(['crashbridge', 'linux', 'hot_fix', marker(key, stored.fingerprint)]);
      expect(fields.customfield_10010).toEqual({ value: 'Linux' }); // option, in Jira's spelling
      expect(fields.customfield_10011).toEqual(['1234', 'nightly']); // labels-type field, split
      expect(fields.description).toContain('parse_header');
    });

    it('renders an inline group without storing it, with warnings for unknown attributes and values that cannot be coerced', async () => {
      sim.clearRequests();
      const group = { fingerprint: 'inline-1', title: 'Boom', attributes: { version: ['3.0.0', '3.1.0'].map((v, i) => [v, i + 1]), platform: 'Solaris' } };
      const res = await preview(key, { group }).expect(200);
      expect(sim.requests.filter((r) => r.method !== 'GET')).toEqual([]);

      const { fields, warnings, errors } = res.body;
      expect(fields.summary).toBe('[3.1.0] Boom');
      expect(fields.labels).toEqual(['crashbridge', 'Solaris', 'hot_fix', marker(key, 'inline-1')]);
      expect(fields.customfield_10010).toBeUndefined();
      expect(fields.customfield_10011).toEqual(['nightly']);
      expect(warnings).toContain('unknown attribute $build');
      expect(errors).toEqual([{ field: 'customfield_10010', message: expect.stringContaining("'Solaris' is not allowed") }]);
      expect(warnings).toContain(errors[0].message);
      await app.admin('get', `/api/v1/projects/${key}/groups/inline-1`).expect(404);
    });

    it('validates the inline group like ingestion, naming the field', async () => {
      const bad = await preview(key, { group: { fingerprint: 'x', count: -1 } }).expect(400);
      expect(bad.body.message.join(' ')).toContain('group.count');
      const batch = await preview(key, { group: { groups: [{ fingerprint: 'a' }] } }).expect(400);
      expect(batch.body.message).toEqual(['group must be one group, not {"groups": [...]}']);
      await preview(key, {}).expect(400);
      await preview(key, { fingerprint: 'a', group: { fingerprint: 'a' } }).expect(400);
    });

    it('404s for an unknown group and for a project without settings', async () => {
      const unknown = await preview(key, { fingerprint: 'nope' }).expect(404);
      expect(unknown.body.code).toBe('GROUP_NOT_FOUND');
      const { key: fresh } = await createProject(app);
      const none = await preview(fresh, { group: { fingerprint: 'a' } }).expect(404);
      expect(none.body.code).toBe('INTEGRATION_NOT_FOUND');
    });

    it('still renders with the system fields when Jira cannot be read', async () => {
      const { key: offline } = await createProject(app);
      await put(offline, settings({ apiUrl: DEAD_JIRA })).expect(200);
      const res = await preview(offline, { group: { fingerprint: 'off-1', title: 'Down', attributes: { version: '1.0', platform: 'Linux', build: '7' } } }).expect(200);
      const { fields, warnings } = res.body;
      expect(warnings[0]).toMatch(/^could not read field metadata from Jira: /);
      expect(fields).toMatchObject({
        project: { key: 'CHK' },
        issuetype: { name: 'Bug' },
        summary: '[1.0] Down',
        labels: ['crashbridge', 'Linux', 'hot_fix', marker(offline, 'off-1')],
      });
      // Without /field, a custom field by id cannot be typed and by name cannot be found.
      expect(warnings).toContain("unknown Jira field 'Platform'");
    });
  });
});
