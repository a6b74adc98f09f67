// Fields by the create screen (#13 item 4): a custom field named like another project's resolves to the one on the
// configured project's create screen; Test connection refuses a disabled option or an archived version.
import { JiraSimulator } from '../jira-sim';
import { configureJira, startSim } from '../support/jira';
import { createProject, eventually, startTestApp, TestApp } from '../support/test-app';

type Check = { name: string; ok: boolean; detail: string };

for (const flavour of ['cloud', 'datacenter'] as const) {
  describe(`fields by the create screen (${flavour})`, () => {
    let app: TestApp;
    let sim: JiraSimulator;

    beforeAll(async () => {
      app = await startTestApp();
      sim = await startSim({ flavour, duplicateFieldNames: true });
    });
    afterAll(async () => {
      await sim?.stop();
      await app?.stop();
    });

    const testConnection = async (key: string, body?: object) => {
      const req = app.admin('post', `/api/v1/projects/${key}/integrations/jira/test`);
      return (await (body ? req.send(body) : req).expect(200)).body as { ok: boolean; checks: Check[] };
    };
    const fieldsCheck = (body: { checks: Check[] }) => body.checks.find((c) => c.name === 'fields');

    it('resolves a duplicate field name to the configured project\'s field, in Test connection and on create', async () => {
      const { key } = await createProject(app);
      await configureJira(app, key, sim, { customFields: [{ field: 'Severity', value: 'major' }] });
      const res = await testConnection(key);
      expect(res.ok).toBe(true);
      expect(fieldsCheck(res)).toMatchObject({ ok: true, detail: expect.stringContaining('the custom field exists in Jira') });

      await app.admin('post', `/api/v1/projects/${key}/groups`).send({ fingerprint: 'sev-1', title: 'Severe' }).expect(201);
      const ticket = await eventually(async () => (await app.admin('get', `/api/v1/projects/${key}/groups/sev-1`).expect(200)).body.ticket, 20_000);
      const issue = sim.getIssue(ticket.key)!;
      expect(issue.fields.customfield_10041).toMatchObject({ value: 'Major' });
      expect(issue.fields.customfield_10040 ?? null).toBeNull();
      const create = sim.requests.find((r) => r.method === 'POST' && r.path.endsWith('/issue') && r.status === 201)!;
      expect(Object.keys((create.body as { fields: object }).fields)).not.toContain('customfield_10040');
    });

    it('refuses a disabled option with a clear message', async () => {
      const { key } = await createProject(app);
      await configureJira(app, key, sim);
      sim.disableOption('customfield_10041', 'Minor');
      try {
        const res = await testConnection(key, { customFields: [{ field: 'Severity', value: 'Minor' }] });
        expect(res.ok).toBe(false);
        expect(fieldsCheck(res)).toMatchObject({ ok: false, detail: expect.stringContaining("option 'Minor' of field 'Severity' is disabled in Jira; enable it or pick another value") });
        // A value from a template is only known per group: nothing to refuse yet.
        expect((await testConnection(key, { customFields: [{ field: 'Severity', value: '$severity' }] })).ok).toBe(true);
      } finally {
        sim.disableOption('customfield_10041', 'Minor', false);
      }
    });

    it('refuses an archived version with a clear message', async () => {
      const { key } = await createProject(app);
      await configureJira(app, key, sim);
      sim.archiveVersion('2.3.9');
      try {
        const res = await testConnection(key, { customFields: [{ field: 'fixVersions', value: '2.4.0, 2.3.9' }] });
        expect(res.ok).toBe(false);
        expect(fieldsCheck(res)).toMatchObject({ ok: false, detail: expect.stringContaining("version '2.3.9' of field 'Fix versions' is archived in CHK; unarchive it or pick another version") });
        expect(fieldsCheck(res)?.detail).not.toContain("'2.4.0'");
        expect((await testConnection(key, { customFields: [{ field: 'Fix versions', value: '2.4.0' }] })).ok).toBe(true);
      } finally {
        sim.archiveVersion('2.3.9', false);
      }
    });
  });
}
