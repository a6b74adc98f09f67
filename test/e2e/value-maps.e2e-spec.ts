// Value maps (issue #14, item 4): `{{map "severity" $severity}}` in any template, `*` the fallback;
// tickets and the preview get the mapped values, Test connection names the ones Jira would refuse.
import { JiraSimulator } from '../jira-sim';
import { ApiGroup } from '../support/groups';
import { configureJira, startSim } from '../support/jira';
import { createProject, eventually, startTestApp, TestApp } from '../support/test-app';

const VALUE_MAPS = {
  severity: { fatal: 'Highest', error: 'High', '*': 'Low' },
  team: { payments: 'Payments', web: 'Frontend, Backend' },
};

const CUSTOM_FIELDS = [
  { field: 'Priority', value: '{{map "severity" $severity}}' },
  { field: 'Components', value: '{{map "team" ${team}}}' },
];

describe.each(['cloud', 'datacenter'] as const)('value maps (%s)', (flavour) => {
  let app: TestApp;
  let sim: JiraSimulator;

  beforeAll(async () => {
    app = await startTestApp();
    sim = await startSim({ flavour });
  });
  afterAll(async () => {
    await sim?.stop();
    await app?.stop();
  });

  /** A project whose Jira settings fill Priority and Components through value maps. */
  async function mappedProject(valueMaps: object = VALUE_MAPS, overrides: Record<string, unknown> = {}): Promise<string> {
    const { key } = await createProject(app);
    await configureJira(app, key, sim, { subject: '{{title}}', labels: 'crashbridge', customFields: CUSTOM_FIELDS, valueMaps, ...overrides });
    return key;
  }

  const ticketOf = (key: string, fingerprint: string) =>
    eventually(async () => {
      const g: ApiGroup = (await app.admin('get', `/api/v1/projects/${key}/groups/${fingerprint}`).expect(200)).body;
      return g.ticket;
    }, 20_000);

  it('tickets get the mapped priority and components; an unmapped severity gets the "*" fallback', async () => {
    const key = await mappedProject();
    await app.admin('post', `/api/v1/projects/${key}/groups`).send({
      groups: [
        { fingerprint: 'fatal-pay', title: 'Crash in checkout', attributes: { severity: 'fatal', team: 'payments' } },
        { fingerprint: 'error-web', title: 'Bad render', attributes: { severity: { error: 5, fatal: 1 }, team: 'web' } },
        { fingerprint: 'info-none', title: 'Odd log line', attributes: { severity: 'info' } },
      ],
    }).expect(200);

    const fatal = sim.getIssue((await ticketOf(key, 'fatal-pay')).key)!;
    expect(fatal.fields.priority).toMatchObject({ id: '1', name: 'Highest' });
    expect((fatal.fields.components as Array<{ name: string }>).map((c) => c.name)).toEqual(['Payments']);

    const error = sim.getIssue((await ticketOf(key, 'error-web')).key)!;
    expect(error.fields.priority).toMatchObject({ name: 'High' }); // the top value, error, decides
    expect((error.fields.components as Array<{ name: string }>).map((c) => c.name)).toEqual(['Frontend', 'Backend']);

    const info = sim.getIssue((await ticketOf(key, 'info-none')).key)!;
    expect(info.fields.priority).toMatchObject({ name: 'Low' }); // "*"
    expect(info.fields.components).toEqual([]); // team has no "*": the field is left out

    const created = sim.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/issue'));
    const sent = created.map((r) => (r.body as { fields: Record<string, unknown> }).fields).find((f) => f.summary === 'Odd log line')!;
    expect(sent.priority).toEqual({ name: 'Low' });
    expect(sent).not.toHaveProperty('components');
  });

  it('the preview shows the mapped values, and warns when a map has no value for a key', async () => {
    const key = await mappedProject(VALUE_MAPS, { createRules: { onNewGroup: false } });
    const preview = (group: object) => app.admin('post', `/api/v1/projects/${key}/integrations/jira/preview`).send({ group }).expect(200);

    const mapped = (await preview({ fingerprint: 'p-1', title: 'Boom', attributes: { severity: 'fatal', team: 'web' } })).body;
    expect(mapped.fields.priority).toEqual({ name: 'Highest' });
    expect(mapped.fields.components).toEqual([{ name: 'Frontend' }, { name: 'Backend' }]);
    expect(mapped.warnings).toEqual([]);

    const unmapped = (await preview({ fingerprint: 'p-2', title: 'Boom', attributes: { severity: 'Fatal', team: 'mobile' } })).body;
    expect(unmapped.fields.priority).toEqual({ name: 'Low' }); // keys compare exactly: "Fatal" is not "fatal"
    expect(unmapped.fields.components).toBeUndefined();
    expect(unmapped.warnings).toEqual(['no value for "mobile" in value map "team"']);
    expect(unmapped.errors).toEqual([]);
  });

  it('Test connection names each mapped value the priority and components fields do not allow', async () => {
    const key = await mappedProject({
      severity: { fatal: 'Urgent', error: 'High', '*': 'Medium' },
      team: { payments: 'Payments, Billing' },
    }, { createRules: { onNewGroup: false } });
    const res = await app.admin('post', `/api/v1/projects/${key}/integrations/jira/test`).expect(200);
    expect(res.body.ok).toBe(false);
    const fields = res.body.checks.find((c: { name: string }) => c.name === 'fields');
    expect(fields.ok).toBe(false);
    expect(fields.detail.split('; ')).toEqual([
      'valueMaps.severity.fatal: "Urgent" is not a priority of CHK (Highest, High, Medium, Low, Lowest)',
      'valueMaps.team.payments: "Billing" is not a component of CHK (Backend, Frontend, Payments)',
    ]);

    const fine = await mappedProject(VALUE_MAPS, { createRules: { onNewGroup: false } });
    const passed = await app.admin('post', `/api/v1/projects/${fine}/integrations/jira/test`).expect(200);
    expect(passed.body.checks.find((c: { name: string }) => c.name === 'fields')).toMatchObject({ ok: true });
    expect(passed.body.ok).toBe(true);

    // Unsaved maps, as the settings form tests them before saving.
    const unsaved = await app.admin('post', `/api/v1/projects/${fine}/integrations/jira/test`).send({ valueMaps: { severity: { '*': 'P1' }, team: {} } }).expect(200);
    expect(unsaved.body.checks.find((c: { name: string }) => c.name === 'fields')).toEqual({
      name: 'fields', ok: false, detail: 'valueMaps.severity["*"]: "P1" is not a priority of CHK (Highest, High, Medium, Low, Lowest)',
    });
  });
});
