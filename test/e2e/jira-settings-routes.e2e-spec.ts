// Routes, creation conditions, value maps and versions in the Jira settings API (issue #14): what is accepted
// round-trips, an old body or an old row reads with the defaults, and every bad input is a 400 naming its path
// (list entries in brackets) that leaves the stored settings as they were.
import { createProject, startTestApp, TestApp } from '../support/test-app';

const API_TOKEN = 'ATATT3xFfGF0-routes-spec-token-1a2b3c';

const minimal = (overrides: Record<string, unknown> = {}) => ({
  apiUrl: 'https://acme.atlassian.net/rest/api/2/',
  auth: { type: 'basic', email: 'bot@acme.com', apiToken: API_TOKEN },
  projectKey: 'CHK',
  subject: '[$version] {{title}}',
  ...overrides,
});

const mobile = {
  name: 'Mobile',
  when: [
    { attribute: 'platform', op: 'in', value: ['ios', 'android'] },
    { attribute: 'version', op: '>=', value: '2.0' },
  ],
  projectKey: 'MOB',
  issueType: 'Task',
  subject: '[mobile] {{title}}',
  labels: 'mobile, $platform',
  description: 'h2. {{title}}',
  customFields: [{ field: 'Platform', value: '$platform' }],
};
const backend = {
  name: 'backend',
  when: [
    { attribute: 'classifier', op: 'matches', value: '^(Null|IllegalState)', any: true },
    { attribute: 'service', op: 'exists' },
    { attribute: 'environment', op: '!=', value: 'dev' },
  ],
  projectKey: 'BE',
};

/** Every new member set. */
const fullBody = () =>
  minimal({
    routes: [mobile, backend],
    createRules: {
      onNewGroup: true,
      minCount: 1,
      maxTicketsPerHour: 100,
      when: [{ attribute: 'environment', op: '=', value: 'production' }, { attribute: 'build', op: '>=', value: 1200 }],
      threshold: { count: 10, withinMinutes: 60 },
      onRegression: true,
    },
    valueMaps: { severity: { fatal: 'Highest', error: 'High', '*': 'Medium' }, team: { payments: 'Checkout' } },
    versions: { affects: 'all', createMissing: true },
  });

describe('Jira settings: routes, creation conditions, value maps, versions', () => {
  let app: TestApp;
  const path = (key: string) => `/api/v1/projects/${key}/integrations/jira`;
  const put = (key: string, body: unknown) => app.admin('put', path(key)).send(body as object);
  const get = async (key: string) => (await app.admin('get', path(key)).expect(200)).body;
  const rawRow = async (key: string) =>
    (await app.dataSource.query('SELECT i.* FROM jira_integrations i JOIN projects p ON p.id = i.project_id WHERE p.key = $1', [key]))[0];

  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => {
    await app.stop();
  });

  it('round-trips a full body: the PUT answer, a GET and the stored row agree', async () => {
    const { key } = await createProject(app);
    const res = await put(key, fullBody()).expect(200);
    const expected = {
      routes: [{ ...mobile, projectKey: 'MOB' }, backend],
      createRules: {
        onNewGroup: true,
        minCount: 1,
        maxTicketsPerHour: 100,
        when: [{ attribute: 'environment', op: '=', value: 'production' }, { attribute: 'build', op: '>=', value: '1200' }],
        threshold: { count: 10, withinMinutes: 60 },
        onRegression: true,
      },
      valueMaps: { severity: { fatal: 'Highest', error: 'High', '*': 'Medium' }, team: { payments: 'Checkout' } },
      versions: { affects: 'all', createMissing: true },
    };
    expect(res.body).toMatchObject(expected);
    const { webhook, ...shown } = res.body;
    expect(await get(key)).toEqual({ ...shown, webhook: { url: webhook.url } });
    expect((await rawRow(key)).settings).toMatchObject(expected);

    // Route members left out stay out (they are the top-level settings'); lower-case keys are stored upper-case.
    const again = await put(key, minimal({ routes: [{ name: 'web', projectKey: 'web' }] })).expect(200);
    expect(again.body.routes).toEqual([{ name: 'web', when: [], projectKey: 'WEB' }]);
  });

  it('accepts an old body (none of the new members) and reads it back with the defaults', async () => {
    const { key } = await createProject(app);
    await put(key, fullBody()).expect(200);
    const res = await put(key, minimal({ createRules: { onNewGroup: false, minCount: 3, maxTicketsPerHour: 50 } })).expect(200);
    const defaults = {
      createRules: { onNewGroup: false, minCount: 3, maxTicketsPerHour: 50, when: [], threshold: null, onRegression: false },
      routes: [],
      valueMaps: {},
      versions: { affects: 'none', createMissing: false },
    };
    expect(res.body).toMatchObject(defaults);
    expect(await get(key)).toMatchObject(defaults);
  });

  it('reads a row stored before these members existed with their defaults', async () => {
    const { key } = await createProject(app);
    await put(key, minimal({ createRules: { minCount: 4 } })).expect(200);
    const row = await rawRow(key);
    const { routes: _r, valueMaps: _v, versions: _s, createRules, ...old } = row.settings;
    const oldSettings = { ...old, createRules: { onNewGroup: createRules.onNewGroup, minCount: createRules.minCount, maxTicketsPerHour: createRules.maxTicketsPerHour } };
    await app.dataSource.query('UPDATE jira_integrations SET settings = $1::jsonb WHERE project_id = $2', [JSON.stringify(oldSettings), row.project_id]);

    expect(await get(key)).toMatchObject({
      createRules: { onNewGroup: true, minCount: 4, maxTicketsPerHour: 100, when: [], threshold: null, onRegression: false },
      routes: [],
      valueMaps: {},
      versions: { affects: 'none', createMissing: false },
    });
  });

  it('answers each bad input with a 400 naming its path, and stores nothing', async () => {
    const { key } = await createProject(app);
    await put(key, fullBody()).expect(200);
    const before = await get(key);
    const beforeRow = await rawRow(key);
    const route = (r: Record<string, unknown>) => ({ name: 'web', when: [], projectKey: 'WEB', ...r });
    const row = (r: Record<string, unknown>) => ({ attribute: 'environment', op: '=', value: 'production', ...r });
    const cases: Array<[Record<string, unknown>, string]> = [
      // The issue's list.
      [{ routes: [mobile, route({ when: [row({ op: 'like' })] })] }, 'routes[1].when[0].op must be one of "=", "!=", "in", "not in", "contains", "matches", ">=", "<", "exists"'],
      [{ routes: [mobile, route({ when: [row({ op: 'matches', value: '(unclosed' })] })] }, 'routes[1].when[0].value is not a usable regular expression'],
      [{ routes: [mobile, route({ when: [row({ op: 'matches', value: '(a)\\1' })] })] }, 'routes[1].when[0].value is not a usable regular expression'],
      [{ createRules: { when: [row({}), row({ op: 'matches', value: 'a'.repeat(201) })] } }, 'createRules.when[1].value must be at most 200 characters'],
      [{ createRules: { threshold: { count: 0, withinMinutes: 10 } } }, 'createRules.threshold.count must be an integer from 1 to 1000000'],
      [{ createRules: { threshold: { count: 2.5, withinMinutes: 10 } } }, 'createRules.threshold.count must be an integer from 1 to 1000000'],
      [{ createRules: { threshold: { count: '10', withinMinutes: 10 } } }, 'createRules.threshold.count must be an integer from 1 to 1000000'],
      [{ createRules: { threshold: { count: 10, withinMinutes: -5 } } }, 'createRules.threshold.withinMinutes must be an integer from 1 to 10080'],
      [{ routes: [mobile, { name: 'web', when: [] }] }, 'routes[1].projectKey is required'],
      [{ valueMaps: { severity: ['Highest'] } }, 'valueMaps.severity must be an object of string → string entries'],
      [{ valueMaps: { severity: { fatal: { level: 'Highest' } } } }, 'valueMaps.severity.fatal must be a string'],
      [{ valueMaps: { severity: { fatal: 1 } } }, 'valueMaps.severity.fatal must be a string'],
      [{ valueMaps: { severity: { fatal: null } } }, 'valueMaps.severity.fatal must be a string'],
      [{ valueMaps: ['severity'] }, 'valueMaps must be an object of maps'],
      // More of the same kind.
      [{ routes: [mobile, route({ name: 'mobile' })] }, 'routes[1].name: the name is already used by routes[0]'],
      [{ routes: [route({ name: 'default' })] }, 'routes[0].name must not be "default"'],
      [{ routes: [route({ projectKey: 'W-B' })] }, 'routes[0].projectKey must be a Jira project key'],
      [{ routes: [route({ subject: '{{#if title}}' })] }, 'routes[0].subject:1:'],
      [{ routes: [route({ customFields: [{ field: 'A', value: 'x' }, { field: 'Issue Type', value: 'Task' }] })] }, 'routes[0].customFields[1].field: Issue Type is set by issueType'],
      [{ routes: [route({ when: [row({}), row({ op: 'exists' })] })] }, 'routes[0].when[1].value must be left out for op "exists"'],
      [{ routes: [route({ when: [row({ op: 'in', value: [] })] })] }, 'routes[0].when[0].value must not be an empty list for op "in"'],
      [{ routes: [route({ when: Array.from({ length: 21 }, () => row({})) })] }, 'routes[0].when must have at most 20 entries'],
      [{ routes: [route({ color: 'red' })] }, 'property routes[0].color should not exist'],
      [{ routes: Array.from({ length: 51 }, (_, i) => route({ name: `r${i}` })) }, 'routes must have at most 50 entries'],
      [{ valueMaps: { 'my map': {} } }, 'valueMaps has a map named "my map"'],
      [{ versions: { affects: 'latest' } }, 'versions.affects must be one of "top", "all", "none"'],
      [{ versions: { createMissing: 'yes' } }, 'versions.createMissing must be a boolean value'],
      [{ createRules: { onRegression: 1 } }, 'createRules.onRegression must be a boolean value'],
    ];
    for (const [overrides, message] of cases) {
      const res = await put(key, minimal(overrides));
      const shown = JSON.stringify(overrides).slice(0, 160);
      expect({ shown, status: res.status }).toEqual({ shown, status: 400 });
      expect({ shown, body: res.body }).toEqual({ shown, body: { statusCode: 400, error: 'Bad Request', message: expect.arrayContaining([expect.stringContaining(message)]) } });
      expect(JSON.stringify(res.body)).not.toContain(API_TOKEN);
    }
    expect(await get(key)).toEqual(before);
    expect(await rawRow(key)).toEqual(beforeRow);
  });

  it('refuses value map keys request bodies would lose, naming them, and stores nothing', async () => {
    const { key } = await createProject(app);
    await put(key, fullBody()).expect(200);
    const before = await get(key);
    for (const [json, message] of [
      ['{"severity": {"fatal": "Highest", "constructor": "High"}}', 'valueMaps.severity: the key "constructor" cannot be used'],
      ['{"__proto__": {"fatal": "Highest"}}', 'valueMaps: the key "__proto__" cannot be used'],
    ]) {
      const body = JSON.stringify(minimal()).replace(/}$/, `, "valueMaps": ${json}}`);
      const res = await app.admin('put', path(key)).set('Content-Type', 'application/json').send(body).expect(400);
      expect(res.body.message).toEqual([expect.stringContaining(message)]);
    }
    expect(await get(key)).toEqual(before);
  });
});
