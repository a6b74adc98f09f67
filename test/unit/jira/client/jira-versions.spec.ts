// JiraClient's project versions against the simulator, both flavours.
import { JiraSimulator } from '../../../jira-sim';
import { JiraClient, JiraError, isVersionNameTaken, jiraOperation } from '@app/modules/jira/client';

describe.each(['cloud', 'datacenter'] as const)('JiraClient versions (%s)', (flavour) => {
  let sim: JiraSimulator;
  let client: JiraClient;

  beforeEach(async () => {
    sim = await JiraSimulator.start({ flavour });
    const c = sim.credentials;
    client = new JiraClient(
      { apiUrl: sim.apiUrl, auth: flavour === 'cloud' ? { type: 'basic', email: c.email, apiToken: c.apiToken } : { type: 'bearer', token: c.pat }, flavour },
      { retry: { baseDelayMs: 5, maxDelayMs: 20 } },
    );
  });
  afterEach(() => sim.stop());

  it('lists every version, archived ones included, with string ids', async () => {
    sim.archiveVersion('2.3.9');
    const versions = await client.getProjectVersions('CHK');
    expect(versions.map((v) => v.name)).toEqual(sim.listVersions().map((v) => v.name));
    expect(versions[0]).toEqual({ id: '10100', name: '2.3.9', archived: true, released: true });
  });

  it('creates a version; a name the project has (any case) is Jira’s 400, told by isVersionNameTaken', async () => {
    const created = await client.createVersion('10000', '3.0.0');
    expect(created).toEqual({ id: expect.stringMatching(/^\d+$/), name: '3.0.0', archived: false, released: false });
    expect((await client.getProjectVersions('CHK')).at(-1)).toEqual(created);
    for (const name of ['3.0.0', 'NEXT RELEASE']) {
      expect(isVersionNameTaken(await client.createVersion('10000', name).catch((e: unknown) => e))).toBe(true);
    }
    const long = await client.createVersion('10000', 'v'.repeat(256)).catch((e: unknown) => e);
    expect(long).toBeInstanceOf(JiraError);
    expect(isVersionNameTaken(long)).toBe(false);
    expect((long as JiraError).errors).toEqual({ name: 'The version name must not exceed 255 characters.' });
  });

  it('without the right: Cloud forbidden, Data Center not_found; named "create version" in the activity log', async () => {
    sim.setPermissions({ denied: ['ADMINISTER_PROJECTS', 'ADMINISTER'] });
    const err = (await client.createVersion('10000', '3.0.0').catch((e: unknown) => e)) as JiraError;
    expect(err.kind).toBe(flavour === 'cloud' ? 'forbidden' : 'not_found');
    expect(jiraOperation(err)).toBe('create version');
  });

  it('is not repeated after a 5xx: the outcome is unknown until the list is read', async () => {
    sim.faults.serverErrors(1);
    const err = (await client.createVersion('10000', '3.0.0').catch((e: unknown) => e)) as JiraError;
    expect(err.kind).toBe('unknown_outcome');
    expect(sim.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/version'))).toHaveLength(1);
  });
});
