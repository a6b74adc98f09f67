// Affects versions from the group's version attribute (#14 item 5): top, all or none; createMissing makes a version
// the Jira project lacks, once even when five groups need it at the same moment; whatever Jira refuses is named in
// the activity log and the ticket is created without it.
import { JiraSimulator, SimIssue } from '../jira-sim';
import { configureJira, startSim } from '../support/jira';
import { TestApp, createProject, eventually, startTestApp } from '../support/test-app';

type Versions = { affects: 'top' | 'all' | 'none'; createMissing: boolean };
type Entry = { kind: string; detail: string; data: { reason: string; names: string[]; messages?: string[] } };

for (const flavour of ['cloud', 'datacenter'] as const) {
  describe(`affected versions (${flavour})`, () => {
    let app: TestApp;
    let sim: JiraSimulator;

    beforeAll(async () => {
      app = await startTestApp({ env: { JIRA_SEARCH_CONSISTENCY_SECONDS: '1' } });
      sim = await startSim({ flavour });
    });
    afterAll(async () => {
      await sim?.stop();
      await app?.stop();
    });
    beforeEach(() => {
      sim.faults.reset();
      sim.setPermissions({});
    });

    /** A project whose tickets go to the simulator with these versions settings. */
    async function projectWith(versions: Versions, overrides: Record<string, unknown> = {}): Promise<string> {
      const { key } = await createProject(app);
      await configureJira(app, key, sim, { ...overrides, versions });
      return key;
    }

    async function groupWithVersions(key: string, fingerprint: string, version: Record<string, number>): Promise<void> {
      await app.admin('post', `/api/v1/projects/${key}/groups`).send({ fingerprint, title: `Crash ${fingerprint}`, attributes: { version } }).expect(201);
    }

    async function ticketOf(key: string, fingerprint: string): Promise<SimIssue> {
      const ticket = await eventually(async () => (await app.admin('get', `/api/v1/projects/${key}/groups/${fingerprint}`).expect(200)).body.ticket, 20_000);
      return sim.getIssue(ticket.key)!;
    }

    const affected = (issue: SimIssue) => ((issue.fields.versions as Array<{ name: string }> | undefined) ?? []).map((v) => v.name);

    async function versionEntries(key: string, fingerprint: string): Promise<Entry[]> {
      return (await app.admin('get', `/api/v1/projects/${key}/activity?fingerprint=${fingerprint}&kind=ticket.versions`).expect(200)).body;
    }

    const namedInSim = (name: string) => sim.listVersions().filter((v) => v.name.toLowerCase() === name.toLowerCase());

    it('top: the most counted version, never the "(other)" fold', async () => {
      const key = await projectWith({ affects: 'top', createMissing: false });
      await groupWithVersions(key, 'top-1', { '(other)': 50, '2.4.0': 7, '2.5.0': 3 });
      expect(affected(await ticketOf(key, 'top-1'))).toEqual(['2.4.0']);
      expect(await versionEntries(key, 'top-1')).toEqual([]);
    });

    it('all: every version seen, most counted first; the create names them by Jira id', async () => {
      const key = await projectWith({ affects: 'all', createMissing: false });
      await groupWithVersions(key, 'all-1', { '2.4.1': 2, '(other)': 40, '2.3.9': 9, '2.5.0': 5 });
      const issue = await ticketOf(key, 'all-1');
      expect(affected(issue)).toEqual(['2.3.9', '2.5.0', '2.4.1']);
      const create = sim.requests.find((r) => r.method === 'POST' && r.path.endsWith('/issue') && (r.body as any).fields.summary === issue.fields.summary);
      expect((create!.body as any).fields.versions).toEqual([{ id: '10100' }, { id: '10103' }, { id: '10102' }]);
    });

    it('none (the default): the field is left alone and Jira is not asked for versions', async () => {
      const key = await projectWith({ affects: 'none', createMissing: true });
      sim.clearRequests();
      await groupWithVersions(key, 'none-1', { '2.4.0': 1, '9.9.9': 1 });
      expect(affected(await ticketOf(key, 'none-1'))).toEqual([]);
      expect(sim.requests.filter((r) => r.path.endsWith('/versions') || r.path.endsWith('/version'))).toEqual([]);
      expect(namedInSim('9.9.9')).toEqual([]);
    });

    it('createMissing: a version the project lacks is created, then set', async () => {
      const key = await projectWith({ affects: 'all', createMissing: true });
      await groupWithVersions(key, 'new-1', { '3.0.0': 4, '2.4.0': 1 });
      expect(affected(await ticketOf(key, 'new-1'))).toEqual(['3.0.0', '2.4.0']);
      expect(namedInSim('3.0.0')).toEqual([expect.objectContaining({ name: '3.0.0', archived: false, released: false })]);
      expect(await versionEntries(key, 'new-1')).toEqual([]);
    });

    it('without createMissing a missing version is left out and named in the activity log; the present one is set', async () => {
      const key = await projectWith({ affects: 'all', createMissing: false });
      await groupWithVersions(key, 'miss-1', { '4.0.0': 3, '2.4.0': 2 });
      expect(affected(await ticketOf(key, 'miss-1'))).toEqual(['2.4.0']);
      expect(namedInSim('4.0.0')).toEqual([]);
      // Written with the ticket, in the same transaction: there once the ticket shows.
      expect(await versionEntries(key, 'miss-1')).toEqual([
        expect.objectContaining({ detail: "Affects versions without '4.0.0': not versions of CHK, and versions.createMissing is off", data: { reason: 'missing', names: ['4.0.0'] } }),
      ]);
    });

    it('a name Jira refuses to create (256 characters) is named in the activity log; the ticket is created without it', async () => {
      const key = await projectWith({ affects: 'all', createMissing: true });
      const long = 'v'.repeat(256);
      await groupWithVersions(key, 'long-1', { [long]: 5, '2.5.0': 1 });
      expect(affected(await ticketOf(key, 'long-1'))).toEqual(['2.5.0']);
      const [entry] = await versionEntries(key, 'long-1');
      expect(entry.data).toEqual({ reason: 'refused', names: [long], messages: ['Jira 400: name: The version name must not exceed 255 characters.'] });
      expect(entry.detail).toContain("Affects versions without 'vvvv");
      expect(entry.detail.length).toBeLessThan(300);
    });

    it('without the right to create versions: named in the activity log (Jira’s own refusal), the ticket created without it', async () => {
      const key = await projectWith({ affects: 'top', createMissing: true });
      sim.setPermissions({ denied: ['ADMINISTER_PROJECTS', 'ADMINISTER'] });
      await groupWithVersions(key, 'perm-1', { '5.0.0': 1 });
      expect(affected(await ticketOf(key, 'perm-1'))).toEqual([]);
      expect(namedInSim('5.0.0')).toEqual([]);
      const [entry] = await versionEntries(key, 'perm-1');
      expect(entry.data.reason).toBe('refused');
      expect(entry.detail).toContain(
        flavour === 'cloud'
          ? 'Jira refused to create version: Jira 403: You do not have permission to create versions in this project.'
          : "Jira 404: Project with id '10000' either does not exist or you do not have permission to create versions in it.",
      );
    });

    it('an issue type whose create screen lacks Affects versions: said once in the activity log, the ticket created', async () => {
      const key = await projectWith({ affects: 'top', createMissing: true }, { issueType: 'Task' });
      await groupWithVersions(key, 'task-1', { '6.0.0': 1 });
      const issue = await ticketOf(key, 'task-1');
      expect(affected(issue)).toEqual([]);
      expect(namedInSim('6.0.0')).toEqual([]);
      expect(await versionEntries(key, 'task-1')).toEqual([
        expect.objectContaining({ detail: "Affects versions not set ('6.0.0'): the field is not on the create screen of Task in CHK", data: { reason: 'not-on-screen', names: ['6.0.0'] } }),
      ]);
    });

    it('five groups needing the same new version at once: one version in Jira, five tickets with it', async () => {
      const key = await projectWith({ affects: 'top', createMissing: true });
      sim.clearRequests();
      const fps = Array.from({ length: 5 }, (_, i) => `same-${i}`);
      await app.admin('post', `/api/v1/projects/${key}/groups`).send({ groups: fps.map((fingerprint) => ({ fingerprint, attributes: { version: '7.0.0' } })) }).expect(200);
      const issues = await Promise.all(fps.map((fp) => ticketOf(key, fp)));
      expect(new Set(issues.map((i) => i.key)).size).toBe(5);
      const [made] = namedInSim('7.0.0');
      expect(namedInSim('7.0.0')).toHaveLength(1);
      for (const issue of issues) expect((issue.fields.versions as Array<{ id: string }>).map((v) => v.id)).toEqual([made.id]);
      expect(sim.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/version')).map((r) => r.status)).toEqual([201]);
    });

    it('a job run again after a lost create answer makes neither a second version nor a second issue', async () => {
      const key = await projectWith({ affects: 'top', createMissing: true });
      sim.faults.dropCreateResponses(1);
      await groupWithVersions(key, 'lost-1', { '8.0.0': 2 });
      const issue = await ticketOf(key, 'lost-1');
      expect(affected(issue)).toEqual(['8.0.0']);
      expect(namedInSim('8.0.0')).toHaveLength(1);
      expect(sim.listIssues().filter((i) => i.fields.summary === issue.fields.summary)).toHaveLength(1);
      expect(sim.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/issue') && r.status === 0)).toHaveLength(1);
    });
  });
}
