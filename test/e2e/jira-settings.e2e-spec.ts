import { Logger } from '@nestjs/common';
import { JiraIntegrationService } from '@app/modules/jira-settings/jira-integration.service';
import { createProject, startTestApp, TestApp } from '../support/test-app';

const API_TOKEN = 'ATATT3xFfGF0-very-secret-api-token-9f8e7d';
const PAT = 'NjM1ODc0-personal-access-token-secret-42';

const minimal = (overrides: Record<string, unknown> = {}) => ({
  apiUrl: 'https://acme.atlassian.net/rest/api/2/',
  auth: { type: 'basic', email: 'bot@acme.com', apiToken: API_TOKEN },
  projectKey: 'CHK',
  subject: '[$version] {{title}}',
  ...overrides,
});

/** A settings body with every field set (docs/behaviour.md, "Jira integration settings"). */
const contractExample = () => ({
  enabled: true,
  apiUrl: 'https://acme.atlassian.net/rest/api/2/',
  auth: { type: 'basic', email: 'bot@acme.com', apiToken: API_TOKEN },
  projectKey: 'CHK',
  issueType: 'Bug',
  subject: '[$version] {{title}}',
  labels: 'crashbridge, $platform',
  description: 'h2. {{title}}\n{code}{{join callstack "\\n"}}{code}',
  fieldMapping: { labels: 'labels', description: 'description' },
  customFields: [
    { field: 'Platform', value: '$platform' },
    { field: 'customfield_10011', value: '$build, nightly' },
  ],
  sync: { outbound: true, inbound: true },
  statusMapping: [
    { jiraStatus: 'To Do', state: 'open', primary: true },
    { jiraStatus: 'Done', state: 'resolved', primary: true },
    { jiraStatus: "Won't Do", state: 'muted' },
  ],
  userMapping: [{ user: 'alice@acme.com', jiraAccountId: '5b10ac8d82e05b22cc7d4ef5' }],
  autoMapUsersByEmail: true,
  fixVersionSync: { enabled: true, versionAttribute: 'version' },
  regression: { reopenJira: true, comment: true },
  createRules: { onNewGroup: true, minCount: 1, maxTicketsPerHour: 100 },
});

describe('Jira integration settings API', () => {
  let app: TestApp;
  let integrations: JiraIntegrationService;
  const path = (key: string, rest = '') => `/api/v1/projects/${key}/integrations/jira${rest}`;
  const put = (key: string, body: unknown) => app.admin('put', path(key)).send(body as object);
  const projectId = async (key: string): Promise<string> =>
    String((await app.dataSource.query('SELECT id FROM projects WHERE key = $1', [key]))[0].id);
  const rawRow = async (key: string) =>
    (await app.dataSource.query('SELECT i.* FROM jira_integrations i JOIN projects p ON p.id = i.project_id WHERE p.key = $1', [key]))[0];

  // Everything the app logs during the suite, to check that no secret is ever logged.
  const logged: unknown[][] = [];
  const levels = ['log', 'error', 'warn', 'debug', 'verbose', 'fatal'] as const;
  const spies = levels.map((level) =>
    jest.spyOn(Logger.prototype, level).mockImplementation((...args: unknown[]) => {
      logged.push(args);
    }),
  );

  beforeAll(async () => {
    app = await startTestApp();
    integrations = app.service.app.get(JiraIntegrationService);
  });
  afterAll(async () => {
    spies.forEach((s) => s.mockRestore());
    await app.stop();
  });

  it('creates from a minimal body, fills in the defaults and shows the webhook secret once', async () => {
    const { key } = await createProject(app);
    const res = await put(key, minimal()).expect(200);
    const url = `${app.config.publicUrl}/webhooks/jira/${key}`;
    expect(res.body).toEqual({
      enabled: true,
      apiUrl: 'https://acme.atlassian.net/rest/api/2/',
      auth: { type: 'basic', email: 'bot@acme.com', tokenSet: true },
      projectKey: 'CHK',
      issueType: 'Bug',
      subject: '[$version] {{title}}',
      labels: 'crashbridge',
      description: '',
      fieldMapping: {},
      customFields: [],
      sync: { outbound: true, inbound: true },
      statusMapping: [],
      userMapping: [],
      autoMapUsersByEmail: true,
      fixVersionSync: { enabled: false, versionAttribute: 'version' },
      regression: { reopenJira: true, comment: true },
      createRules: { onNewGroup: true, minCount: 1, maxTicketsPerHour: 100, when: [], threshold: null, onRegression: false },
      routes: [],
      valueMaps: {},
      versions: { affects: 'none', createMissing: false },
      comments: { inbound: true, outbound: true },
      updates: { fields: [], minIntervalMinutes: 10, milestones: [] },
      webhook: { url, secret: expect.stringMatching(/^whsec_[A-Za-z0-9_-]{43}$/), urlWithSecret: expect.any(String) },
      health: { credentials: 'ok' },
    });
    expect(res.body.webhook.urlWithSecret).toBe(`${url}?secret=${res.body.webhook.secret}`);
    expect(JSON.stringify(res.body)).not.toContain(API_TOKEN);

    const got = await app.admin('get', path(key)).expect(200);
    const { webhook, ...rest } = res.body;
    expect(got.body).toEqual({ ...rest, webhook: { url } });
    expect(JSON.stringify(got.body)).not.toContain(API_TOKEN);

    // At rest: neither secret in clear in any column.
    const row = await rawRow(key);
    expect(JSON.stringify(row)).not.toContain(API_TOKEN);
    expect(JSON.stringify(row)).not.toContain(webhook.secret);
    expect(row).toMatchObject({ api_url: 'https://acme.atlassian.net/rest/api/2/', auth_type: 'basic', auth_user: 'bot@acme.com', revision: 1, flavour: null });
    const decrypted = await integrations.find(await projectId(key));
    expect(decrypted).toMatchObject({ secret: API_TOKEN, webhookSecret: webhook.secret, revision: 1 });
  });

  it('accepts the contract example and returns it without the token', async () => {
    const { key } = await createProject(app);
    const body = contractExample();
    const res = await put(key, body).expect(200);
    const { auth: _auth, ...settings } = body;
    expect(res.body).toMatchObject({ ...settings, auth: { type: 'basic', email: 'bot@acme.com', tokenSet: true } });
    expect(res.body.auth).toEqual({ type: 'basic', email: 'bot@acme.com', tokenSet: true });
    const stored = await integrations.find(await projectId(key));
    expect(stored!.settings).toMatchObject(settings);
  });

  it('keeps the stored token and webhook secret when a PUT omits them, and bumps the revision', async () => {
    const { key } = await createProject(app);
    const site = 'https://jira.acme.com';
    const first = await put(key, minimal({ apiUrl: site })).expect(200);
    const id = await projectId(key);
    await integrations.saveFlavour(id, 'cloud');

    const second = await put(key, minimal({ apiUrl: site, auth: { type: 'basic', email: 'other@acme.com' }, issueType: 'Task' })).expect(200);
    expect(second.body.webhook).toEqual({ url: first.body.webhook.url });
    expect(second.body).toMatchObject({ issueType: 'Task', auth: { type: 'basic', email: 'other@acme.com', tokenSet: true } });
    const after = await integrations.find(id);
    expect(after).toMatchObject({ secret: API_TOKEN, webhookSecret: first.body.webhook.secret, revision: 2, flavour: null });

    // Same site and credentials: the detected deployment type stays.
    await integrations.saveFlavour(id, 'cloud');
    await put(key, minimal({ apiUrl: `${site}/rest/api/2/`, auth: { type: 'basic', email: 'other@acme.com' }, labels: 'x' })).expect(200);
    expect(await integrations.find(id)).toMatchObject({ flavour: 'cloud', revision: 3, secret: API_TOKEN });

    // Another path on the same site keeps the token; the flavour is detected again.
    await put(key, minimal({ apiUrl: `${site}/jira`, auth: { type: 'basic', email: 'other@acme.com' } })).expect(200);
    expect(await integrations.find(id)).toMatchObject({ flavour: null, revision: 4, secret: API_TOKEN });

    // A new token replaces the old one.
    await put(key, minimal({ apiUrl: site, auth: { type: 'basic', email: 'bot@acme.com', apiToken: 'new-token-123' } })).expect(200);
    expect((await integrations.find(id))!.secret).toBe('new-token-123');
  });

  it('requires the secret on creation, on an auth type change and on a move to another site', async () => {
    const { key } = await createProject(app);
    const noToken = await put(key, minimal({ auth: { type: 'basic', email: 'bot@acme.com' } })).expect(400);
    expect(noToken.body.message.join(' ')).toContain('auth.apiToken');
    const noPat = await put(key, minimal({ auth: { type: 'bearer' } })).expect(400);
    expect(noPat.body.message.join(' ')).toContain('auth.token');
    await app.admin('get', path(key)).expect(404);

    await put(key, minimal()).expect(200);
    const switched = await put(key, minimal({ auth: { type: 'bearer' } })).expect(400);
    expect(switched.body.message.join(' ')).toContain('auth.token');
    const moved = await put(key, minimal({ apiUrl: 'https://evil.example.com', auth: { type: 'basic', email: 'bot@acme.com' } })).expect(400);
    expect(moved.body.message.join(' ')).toContain('auth.apiToken');
    expect((await integrations.find(await projectId(key)))!.settings.apiUrl).toBe('https://acme.atlassian.net/rest/api/2/');
  });

  it('supports bearer auth (personal access token) and the username alias', async () => {
    const { key } = await createProject(app);
    const bearer = await put(key, minimal({ apiUrl: 'https://jira.acme.internal/jira', auth: { type: 'bearer', token: PAT } })).expect(200);
    expect(bearer.body.auth).toEqual({ type: 'bearer', tokenSet: true });
    expect(JSON.stringify(bearer.body)).not.toContain(PAT);
    const id = await projectId(key);
    expect(await integrations.find(id)).toMatchObject({ secret: PAT, settings: { auth: { type: 'bearer' } } });
    expect(JSON.stringify(await rawRow(key))).not.toContain(PAT);
    await put(key, minimal({ apiUrl: 'https://jira.acme.internal/jira', auth: { type: 'bearer' } })).expect(200);
    expect((await integrations.find(id))!.secret).toBe(PAT);

    const basic = await put(key, minimal({ apiUrl: 'https://jira.acme.internal/jira', auth: { type: 'basic', username: 'jira-bot', apiToken: API_TOKEN } })).expect(200);
    expect(basic.body.auth).toEqual({ type: 'basic', email: 'jira-bot', tokenSet: true });
  });

  it('normalises apiUrl and upper-cases the project key', async () => {
    const { key } = await createProject(app);
    const cases: Array<[string, string]> = [
      ['https://acme.atlassian.net', 'https://acme.atlassian.net/rest/api/2/'],
      ['https://host/jira/rest/api/2', 'https://host/jira/rest/api/2/'],
      ['https://host/rest/api/2/', 'https://host/rest/api/2/'],
      ['http://jira.local:8080/jira', 'http://jira.local:8080/jira/rest/api/2/'],
      ['  https://HOST.example.com/rest/api/latest  ', 'https://host.example.com/rest/api/2/'],
    ];
    for (const [input, expected] of cases) {
      const res = await put(key, minimal({ apiUrl: input })).expect(200);
      expect({ input, apiUrl: res.body.apiUrl }).toEqual({ input, apiUrl: expected });
    }
    const lower = await put(key, minimal({ projectKey: 'chk_2' })).expect(200);
    expect(lower.body.projectKey).toBe('CHK_2');
  });

  it('answers bad input with 400 naming the field, never echoing the token, and changes nothing', async () => {
    const { key } = await createProject(app);
    await put(key, minimal()).expect(200);
    const before = await rawRow(key);
    const cases: Array<[unknown, string]> = [
      [minimal({ apiUrl: undefined }), 'apiUrl'],
      [minimal({ apiUrl: 'ftp://acme.example.com/' }), 'apiUrl'],
      [minimal({ apiUrl: 'not a url' }), 'apiUrl'],
      [minimal({ apiUrl: 'https://user:pw@acme.atlassian.net' }), 'apiUrl'],
      [minimal({ apiUrl: 'https://acme.atlassian.net/rest/agile/1.0' }), 'apiUrl'],
      [minimal({ apiUrl: 42 }), 'apiUrl'],
      [minimal({ auth: undefined }), 'auth'],
      [minimal({ auth: 'basic' }), 'auth'],
      [minimal({ auth: [] }), 'auth'],
      [minimal({ auth: { type: 'oauth', token: API_TOKEN } }), 'auth.type'],
      [minimal({ auth: { type: 'basic', apiToken: API_TOKEN } }), 'auth.email'],
      [minimal({ auth: { type: 'basic', email: '', apiToken: API_TOKEN } }), 'auth.email'],
      [minimal({ auth: { type: 'basic', email: 'a:b', apiToken: API_TOKEN } }), 'auth.email'],
      [minimal({ auth: { type: 'basic', email: 'a@b.c', username: 'a', apiToken: API_TOKEN } }), 'auth.username'],
      [minimal({ auth: { type: 'basic', email: 'a@b.c', apiToken: 42 } }), 'auth.apiToken'],
      [minimal({ auth: { type: 'basic', email: 'a@b.c', apiToken: '  ' } }), 'auth.apiToken'],
      [minimal({ auth: { type: 'basic', email: 'a@b.c', apiToken: `${API_TOKEN}\r\nX-Evil: 1` } }), 'auth.apiToken'],
      [minimal({ auth: { type: 'basic', email: 'a@b.c', token: API_TOKEN } }), 'auth.token'],
      [minimal({ auth: { type: 'bearer', apiToken: API_TOKEN } }), 'auth.apiToken'],
      [minimal({ auth: { type: 'bearer', token: API_TOKEN, email: 'a@b.c' } }), 'auth.email'],
      [minimal({ auth: { type: 'basic', email: 'a@b.c', apiToken: API_TOKEN, password: API_TOKEN } }), 'password'],
      [minimal({ projectKey: undefined }), 'projectKey'],
      [minimal({ projectKey: '' }), 'projectKey'],
      [minimal({ projectKey: '1ABC' }), 'projectKey'],
      [minimal({ projectKey: 'TOOLONGKEY1' }), 'projectKey'],
      [minimal({ projectKey: 12 }), 'projectKey'],
      [minimal({ subject: undefined }), 'subject'],
      [minimal({ subject: '   ' }), 'subject'],
      [minimal({ subject: '{{#if title}}unclosed' }), 'subject'],
      [minimal({ subject: 'Crash in {{title' }), 'subject'],
      [minimal({ labels: '{{/each}}' }), 'labels'],
      [minimal({ labels: ['a'] }), 'labels'],
      [minimal({ description: '{{#each callstack}}' }), 'description'],
      [minimal({ description: null }), 'description'],
      [minimal({ issueType: '' }), 'issueType'],
      [minimal({ enabled: 'yes' }), 'enabled'],
      [minimal({ fieldMapping: { labels: '' } }), 'fieldMapping.labels'],
      [minimal({ fieldMapping: { summary: 'x' } }), 'summary'],
      [minimal({ fieldMapping: 'labels' }), 'fieldMapping'],
      [minimal({ customFields: { field: 'Platform', value: '$platform' } }), 'customFields'],
      [minimal({ customFields: ['Platform=$platform'] }), 'customFields'],
      [minimal({ customFields: [{ field: 'A', value: 'x' }, { field: '', value: 'y' }] }), 'customFields[1].field'],
      [minimal({ customFields: [{ field: 'A', value: 'x' }, { value: 'y' }] }), 'customFields[1].field'],
      [minimal({ customFields: [{ field: 'A', value: 5 }] }), 'customFields[0].value'],
      [minimal({ customFields: [{ field: 'A', value: 'x', extra: 1 }] }), 'property customFields[0].extra should not exist'],
      [minimal({ customFields: [{ field: 'A', value: '{{#if x}}' }] }), 'customFields[0].value'],
      [minimal({ customFields: [{ field: 'A', value: 'x' }, { field: 'a', value: 'y' }] }), 'customFields[1].field'],
      [minimal({ customFields: [{ field: 'project', value: 'OTHER' }] }), 'customFields[0].field'],
      [minimal({ customFields: Array.from({ length: 101 }, (_, i) => ({ field: `f${i}`, value: 'x' })) }), 'customFields'],
      [minimal({ sync: { outbound: 'true' } }), 'sync.outbound'],
      [minimal({ sync: true }), 'sync'],
      [minimal({ statusMapping: [{ jiraStatus: 'To Do', state: 'closed' }] }), 'statusMapping[0].state'],
      [minimal({ statusMapping: [{ jiraStatus: '', state: 'open' }] }), 'statusMapping[0].jiraStatus'],
      [minimal({ statusMapping: [{ jiraStatus: 'To Do', state: 'open', primary: 1 }] }), 'statusMapping[0].primary'],
      [minimal({ statusMapping: [{ jiraStatus: 'To Do', state: 'open', primary: true }, { jiraStatus: 'Open', state: 'open', primary: true }] }), 'statusMapping[1].primary'],
      [minimal({ statusMapping: [{ jiraStatus: 'Done', state: 'resolved' }, { jiraStatus: 'done', state: 'muted' }] }), 'statusMapping[1].jiraStatus'],
      [minimal({ userMapping: [{ user: 'alice@acme.com' }] }), 'userMapping[0].jiraAccountId'],
      [minimal({ userMapping: [{ jiraAccountId: 'x' }] }), 'userMapping[0].user'],
      [minimal({ userMapping: [{ user: 'a', jiraUsername: 'a' }, { user: 'A', jiraUsername: 'b' }] }), 'userMapping[1].user'],
      [minimal({ autoMapUsersByEmail: 1 }), 'autoMapUsersByEmail'],
      [minimal({ fixVersionSync: { enabled: true, versionAttribute: '' } }), 'fixVersionSync.versionAttribute'],
      [minimal({ regression: { reopenJira: 'no' } }), 'regression.reopenJira'],
      [minimal({ createRules: { minCount: 0 } }), 'createRules.minCount'],
      [minimal({ createRules: { minCount: 1.5 } }), 'createRules.minCount'],
      [minimal({ createRules: { maxTicketsPerHour: 10001 } }), 'createRules.maxTicketsPerHour'],
      [minimal({ createRules: { maxTicketsPerHour: 0 } }), 'createRules.maxTicketsPerHour'],
      [minimal({ createRules: { onNewGroup: 'yes' } }), 'createRules.onNewGroup'],
      [minimal({ color: 'red' }), 'color'],
    ];
    for (const [body, field] of cases) {
      const res = await put(key, body);
      const shown = JSON.stringify(body).slice(0, 160);
      expect({ body: shown, status: res.status }).toEqual({ body: shown, status: 400 });
      expect({ body: shown, message: res.body.message.join(' | ') }).toEqual({ body: shown, message: expect.stringContaining(field) });
      expect(JSON.stringify(res.body)).not.toContain(API_TOKEN);
    }
    expect(await rawRow(key)).toEqual(before);
  });

  it('names the template position in a template syntax error', async () => {
    const { key } = await createProject(app);
    const res = await put(key, minimal({ customFields: [{ field: 'A', value: 'ok' }, { field: 'B', value: 'x {{#if a}} y' }] })).expect(400);
    expect(res.body.message.join(' ')).toMatch(/customFields\[1\]\.value:\d+:\d+: /);
  });

  it('refuses a body that is not an object', async () => {
    const { key } = await createProject(app);
    for (const raw of ['[]', '[{"apiUrl": "https://a.example.com"}]', '"settings"', '42', 'null', '{', '']) {
      const res = await app.admin('put', path(key)).set('Content-Type', 'application/json').send(raw);
      expect({ raw, status: res.status }).toEqual({ raw, status: 400 });
      expect(res.body.message.length).toBeGreaterThan(0);
    }
    const array = await app.admin('put', path(key)).send([minimal()]).expect(400);
    expect(array.body.message).toEqual(['body must be a JSON object']);
    const empty = await app.admin('put', path(key)).send({}).expect(400);
    expect(empty.body.message).toEqual(['apiUrl is required', 'auth is required', 'projectKey is required', 'subject is required']);
  });

  it('rotates the webhook secret: shown in full once, then hidden', async () => {
    const { key } = await createProject(app);
    const first = await put(key, minimal()).expect(200);
    const rotated = await app.admin('post', path(key, '/webhook-secret')).expect(200);
    const { secret, url, urlWithSecret } = rotated.body.webhook;
    expect(secret).toMatch(/^whsec_/);
    expect(secret).not.toBe(first.body.webhook.secret);
    expect(urlWithSecret).toBe(`${url}?secret=${secret}`);
    expect(rotated.body).toMatchObject({ projectKey: 'CHK', auth: { tokenSet: true } });
    expect(JSON.stringify(rotated.body)).not.toContain(API_TOKEN);
    const got = await app.admin('get', path(key)).expect(200);
    expect(got.body.webhook).toEqual({ url });
    expect(JSON.stringify(got.body)).not.toContain(secret);
    expect(await integrations.find(await projectId(key))).toMatchObject({ webhookSecret: secret, secret: API_TOKEN });
  });

  it('answers 404 for an unknown project or a missing integration', async () => {
    for (const [method, suffix] of [['get', ''], ['delete', ''], ['post', '/webhook-secret']] as const) {
      const res = await app.admin(method, path('no-such-project', suffix)).expect(404);
      expect(res.body.code).toBe('PROJECT_NOT_FOUND');
    }
    const res = await put('no-such-project', minimal()).expect(404);
    expect(res.body.code).toBe('PROJECT_NOT_FOUND');
    const { key } = await createProject(app);
    for (const [method, suffix] of [['get', ''], ['delete', ''], ['post', '/webhook-secret']] as const) {
      const missing = await app.admin(method, path(key, suffix)).expect(404);
      expect(missing.body).toMatchObject({ statusCode: 404, code: 'INTEGRATION_NOT_FOUND' });
    }
  });

  it('is admin-only: 401 without a token, 403 with an ingest token', async () => {
    const { key, ingestToken } = await createProject(app);
    await put(key, minimal()).expect(200);
    const calls = [
      () => app.http().get(path(key)),
      () => app.http().put(path(key)).send(minimal()),
      () => app.http().delete(path(key)),
      () => app.http().post(path(key, '/webhook-secret')),
    ];
    for (const call of calls) {
      await call().expect(401);
      await call().set('Authorization', `Bearer ${ingestToken}`).expect(403);
    }
    await app.admin('get', path(key)).expect(200);
  });

  it('deletes the integration: then GET answers 404 and the secrets are gone', async () => {
    const { key } = await createProject(app);
    await put(key, minimal()).expect(200);
    await app.admin('delete', path(key)).expect(204);
    const res = await app.admin('get', path(key)).expect(404);
    expect(res.body.code).toBe('INTEGRATION_NOT_FOUND');
    expect(await rawRow(key)).toBeUndefined();
    await app.admin('delete', path(key)).expect(404);
    // Created again: a new webhook secret is generated and shown.
    const again = await put(key, minimal()).expect(200);
    expect(again.body.webhook.secret).toMatch(/^whsec_/);
  });

  it('serialises concurrent first PUTs: one integration, one webhook secret', async () => {
    const { key } = await createProject(app);
    const results = await Promise.all([put(key, minimal()), put(key, minimal({ issueType: 'Task' }))]);
    expect(results.map((r) => r.status)).toEqual([200, 200]);
    expect(results.filter((r) => r.body.webhook.secret).length).toBe(1);
    const [{ n }] = await app.dataSource.query('SELECT count(*)::int AS n FROM jira_integrations WHERE project_id = $1', [await projectId(key)]);
    expect(n).toBe(1);
    expect((await rawRow(key)).revision).toBe(2);
  });

  it('never logged a secret', () => {
    expect(logged.length).toBeGreaterThan(0);
    const text = JSON.stringify(logged);
    expect(text).toContain('jira integration created');
    for (const secret of [API_TOKEN, PAT, 'new-token-123']) expect(text).not.toContain(secret);
  });
});
