// A statusMapping resolution that Jira does not have: refused on save (400 naming the entry)
// when Jira can be asked, reported by Test connection, and saved when Jira cannot be asked
// (the transition job then says so at run time: see jira-workflows.e2e-spec.ts).
import { JiraSimulator } from '../jira-sim';
import { configureJira, startSim } from '../support/jira';
import { createProject, startTestApp, TestApp } from '../support/test-app';

const MAPPING = (resolution: string) => [
  { jiraStatus: 'Open', state: 'open', primary: true },
  { jiraStatus: 'Resolved', state: 'resolved', primary: true, resolution },
];

describe('statusMapping resolutions checked against Jira (Data Center default workflow)', () => {
  let app: TestApp;
  let sim: JiraSimulator;
  const settingsPath = (key: string) => `/api/v1/projects/${key}/integrations/jira`;
  const body = (resolution: string, withToken = true) => ({
    apiUrl: sim.apiUrl,
    auth: withToken ? { type: 'bearer', token: sim.credentials.pat } : { type: 'bearer' },
    projectKey: 'CHK',
    issueType: 'Bug',
    subject: '{{title}}',
    labels: 'crashbridge',
    statusMapping: MAPPING(resolution),
  });

  beforeAll(async () => {
    sim = await startSim({ flavour: 'datacenter', workflow: 'jira' });
    app = await startTestApp();
  });
  afterAll(async () => {
    await app?.stop();
    await sim?.stop();
  });

  it('refuses an unknown resolution on save, naming the entry, and keeps what was stored', async () => {
    const { key } = await createProject(app);
    await configureJira(app, key, sim, { statusMapping: MAPPING('Fixed') });
    const res = await app.admin('put', settingsPath(key)).send(body('Fixd')).expect(400);
    expect(JSON.stringify(res.body)).toContain("statusMapping[1].resolution: Jira has no resolution 'Fixd'");
    expect(JSON.stringify(res.body)).toContain('Fixed');
    const stored = (await app.admin('get', settingsPath(key)).expect(200)).body;
    expect(stored.statusMapping[1].resolution).toBe('Fixed');
  });

  it('checks with the stored token when the save carries none, and accepts a name in another case', async () => {
    const { key } = await createProject(app);
    await configureJira(app, key, sim, { statusMapping: MAPPING('Fixed') });
    await app.admin('put', settingsPath(key)).send(body("won't fix", false)).expect(200);
    const res = await app.admin('put', settingsPath(key)).send(body('Nope', false)).expect(400);
    expect(JSON.stringify(res.body)).toContain("Jira has no resolution 'Nope'");
  });

  it('saves when Jira cannot be asked: the run-time check reports it then', async () => {
    const { key } = await createProject(app);
    await configureJira(app, key, sim, { statusMapping: MAPPING('Fixed') });
    sim.expireToken();
    try {
      const saved = await app.admin('put', settingsPath(key)).send(body('Fixd', false)).expect(200);
      expect(saved.body.statusMapping[1].resolution).toBe('Fixd');
    } finally {
      sim.rotateToken();
    }
  });

  it('Test connection names the unknown resolution', async () => {
    const { key } = await createProject(app);
    const res = await app.admin('post', `${settingsPath(key)}/test`).send(body('Fixd')).expect(200);
    expect(res.body.ok).toBe(false);
    const fields = res.body.checks.find((c: { name: string }) => c.name === 'fields');
    expect(fields).toMatchObject({ ok: false });
    expect(fields.detail).toContain("statusMapping[1].resolution: Jira has no resolution 'Fixd'");
  });
});
