// AffectedVersionsService against the simulator: what Jira does between our calls (a twin process, a person
// archiving a version) and what is left out, and why.
import { JiraSimulator } from '../../jira-sim';
import { JiraClient, JiraCreateMetaField, JiraError } from '@app/modules/jira/client';
import { AffectedVersionsService, VersionTarget } from '@app/modules/tickets/creation/affected-versions/affected-versions.service';
import { VersionSettings } from '@app/modules/jira-settings/jira-settings';

describe('AffectedVersionsService', () => {
  let sim: JiraSimulator;
  let client: JiraClient;
  let target: VersionTarget;
  const settings = (versions: VersionSettings) => ({ versions, fixVersionSync: { enabled: false, versionAttribute: 'release' } });
  const bug = (summary: string) => ({ project: { key: 'CHK' }, issuetype: { id: '10004' }, summary });

  beforeEach(async () => {
    sim = await JiraSimulator.start();
    const c = sim.credentials;
    client = new JiraClient({ apiUrl: sim.apiUrl, auth: { type: 'basic', email: c.email, apiToken: c.apiToken }, flavour: 'cloud' }, { retry: { baseDelayMs: 5, maxDelayMs: 20 } });
    target = { projectKey: 'CHK', issueType: 'Bug', createFields: await client.getCreateMetaFields('CHK', '10004') };
  });
  afterEach(() => sim.stop());

  it('reads the configured attribute and sets the versions by id; archived ones are left out and named', async () => {
    sim.archiveVersion('2.3.9');
    const got = await new AffectedVersionsService().resolve(client, settings({ affects: 'all', createMissing: false }), target, {
      release: { '2.4.0': 3, '2.3.9': 2, 'NEXT RELEASE': 1 },
      version: { '2.5.0': 9 },
    });
    expect(got.field).toEqual([{ id: '10101' }, { id: '10106' }]);
    expect(got.names).toEqual(['2.4.0', 'NEXT RELEASE']);
    expect(got.notes).toEqual([{ detail: "Affects versions without '2.3.9': archived in CHK", data: { reason: 'archived', names: ['2.3.9'] } }]);
  });

  it('a name another process created between our list and our create: Jira says it exists, the list has it', async () => {
    const create = client.createVersion.bind(client);
    client.createVersion = async (projectId, name) => {
      sim.addVersion(name); // the twin's create lands first
      return create(projectId, name);
    };
    const got = await new AffectedVersionsService().resolve(client, settings({ affects: 'top', createMissing: true }), target, { release: { '3.1.0': 1 } });
    const made = sim.listVersions().filter((v) => v.name === '3.1.0');
    expect(made).toHaveLength(1);
    expect([got.field, got.notes]).toEqual([[{ id: made[0].id }], []]);
  });

  it('concurrent tickets of one process share one create; a later one finds the version listed', async () => {
    const service = new AffectedVersionsService();
    const need = { release: { '3.2.0': 1 } };
    const all = await Promise.all(Array.from({ length: 4 }, () => service.resolve(client, settings({ affects: 'top', createMissing: true }), target, need)));
    await service.resolve(client, settings({ affects: 'top', createMissing: true }), target, need);
    expect(new Set(all.map((g) => g.field![0].id)).size).toBe(1);
    expect(sim.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/version'))).toHaveLength(1);
  });

  it('a lost create answer is not swallowed: the job runs again, and that run finds the version it made', async () => {
    const service = new AffectedVersionsService();
    const create = client.createVersion.bind(client);
    client.createVersion = async (projectId, name) => {
      await create(projectId, name);
      throw JiraError.unknownOutcome(new JiraError({ kind: 'timeout', method: 'POST', path: 'version' }));
    };
    await expect(service.resolve(client, settings({ affects: 'top', createMissing: true }), target, { release: { '3.3.0': 1 } })).rejects.toMatchObject({ kind: 'unknown_outcome' });
    client.createVersion = create;
    const again = await service.resolve(client, settings({ affects: 'top', createMissing: true }), target, { release: { '3.3.0': 1 } });
    expect(sim.listVersions().filter((v) => v.name === '3.3.0')).toHaveLength(1);
    expect(again.field).toEqual([{ id: sim.listVersions().find((v) => v.name === '3.3.0')!.id }]);
  });

  it('a version archived after the list was read: the create is refused on versions and made once more without them', async () => {
    const service = new AffectedVersionsService();
    const versions = await service.resolve(client, settings({ affects: 'top', createMissing: false }), target, { release: { '2.4.1': 1 } });
    sim.archiveVersion('2.4.1');
    const { created, notes } = await service.createIssue(client, { ...bug('archived meanwhile'), versions: versions.field }, versions);
    expect(sim.getIssue(created.key)!.fields.versions).toEqual([]);
    expect(notes).toEqual([
      { detail: "Affects versions without '2.4.1': Jira refused them on create (Version id '10102' is not valid)", data: { reason: 'refused-on-create', names: ['2.4.1'], messages: ["Version id '10102' is not valid"] } },
    ]);
    expect(sim.listIssues()).toHaveLength(1);
  });

  it('versions a custom field template set are not dropped: the refusal is the template’s to fix', async () => {
    const service = new AffectedVersionsService();
    const none = await service.resolve(client, settings({ affects: 'none', createMissing: false }), target, { release: { '2.4.1': 1 } });
    await expect(service.createIssue(client, { ...bug('by template'), versions: [{ name: '9.9.9' }] }, none)).rejects.toMatchObject({ errors: { versions: "Version name '9.9.9' is not valid" } });
    expect(sim.listIssues()).toHaveLength(0);
  });

  it('a screen without Affects versions: nothing is read or created, and that is said once', async () => {
    const task: JiraCreateMetaField[] = await client.getCreateMetaFields('CHK', '10002');
    sim.clearRequests();
    const got = await new AffectedVersionsService().resolve(client, settings({ affects: 'all', createMissing: true }), { ...target, issueType: 'Task', createFields: task }, { release: { '4.0': 1, '4.1': 1 } });
    expect(got).toEqual({ names: [], notes: [{ detail: "Affects versions not set ('4.1', '4.0'): the field is not on the create screen of Task in CHK", data: { reason: 'not-on-screen', names: ['4.1', '4.0'] } }] });
    expect(sim.requests).toEqual([]);
  });
});
