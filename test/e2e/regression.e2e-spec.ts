import { JiraSimulator } from '../jira-sim';
import { configureJira, startSim } from '../support/jira';
import { createProject, eventually, startTestApp, TestApp } from '../support/test-app';

const STATUS_MAPPING = [
  { jiraStatus: 'To Do', state: 'open', primary: true },
  { jiraStatus: 'In Progress', state: 'in-progress', primary: true },
  { jiraStatus: 'Done', state: 'resolved', primary: true },
  { jiraStatus: "Won't Do", state: 'muted' },
];

for (const flavour of ['cloud', 'datacenter'] as const) {
  describe(`fix versions and regressions (${flavour})`, () => {
    let app: TestApp;
    let sim: JiraSimulator;
    let key: string;
    const group = (fp: string) => app.admin('get', `/api/v1/projects/${key}/groups/${fp}`).expect(200).then((r) => r.body);
    const post = (fp: string, version: string, count = 1) =>
      app.admin('post', `/api/v1/projects/${key}/groups`).send({ fingerprint: fp, count, attributes: { version: { [version]: count } } });

    /** A group with a ticket, resolved in Jira with the given fix versions. */
    async function resolvedInJira(fp: string, fixVersions: string[]): Promise<string> {
      await post(fp, '2.4.0').expect(201);
      const ticket = await eventually(async () => (await group(fp)).ticket, 20_000);
      sim.transition(ticket.key, 'Done', { fixVersions });
      await eventually(async () => (await group(fp)).state === 'resolved', 20_000);
      return ticket.key;
    }
    const comments = (issueKey: string) => sim.getIssue(issueKey)!.comments;

    beforeAll(async () => {
      sim = await startSim({ flavour });
      app = await startTestApp();
      ({ key } = await createProject(app));
      const settings = await configureJira(app, key, sim, { statusMapping: STATUS_MAPPING, fixVersionSync: { enabled: true, versionAttribute: 'version' } });
      sim.registerWebhook({ url: `${app.url}/webhooks/jira/${key}`, secret: settings.webhook.secret, style: flavour === 'cloud' ? 'hmac' : 'query' });
    });
    afterAll(async () => {
      await app.stop();
      await sim.stop();
    });

    it('resolves until the fix version; older reports only count; a newer one reopens the group and the issue once', async () => {
      const issueKey = await resolvedInJira('fv-1', ['2.4.1']);
      expect((await group('fv-1')).resolvedUntil).toEqual({ attribute: 'version', version: '2.4.1' });
      await post('fv-1', '2.4.0', 3).expect(200);
      expect(await group('fv-1')).toMatchObject({ state: 'resolved', count: 4, regressions: 0 });

      const regressed = await app.admin('post', `/api/v1/projects/${key}/groups`).send({ groups: [{ fingerprint: 'fv-1', attributes: { version: '2.4.1' } }, { fingerprint: 'fv-1', attributes: { version: '2.5.0' } }] }).expect(200);
      expect(regressed.body.results.map((r: { status: string }) => r.status)).toEqual(['regressed', 'updated']);
      expect(await group('fv-1')).toMatchObject({ state: 'open', regressions: 1, resolvedUntil: null });
      await eventually(async () => sim.getIssue(issueKey)!.fields.status && (sim.getIssue(issueKey)!.fields.status as { name: string }).name === 'To Do' && comments(issueKey).length === 1, 20_000);
      expect(comments(issueKey)[0].body).toContain('2.4.1');
      const log = await app.admin('get', `/api/v1/projects/${key}/activity?fingerprint=fv-1&kind=regression`).expect(200);
      expect(log.body).toHaveLength(1);
      expect(log.body[0].detail).toContain('2.4.1');
    });

    it('counts 50 concurrent reports of a regressing version as one regression, one reopen, one comment', async () => {
      const issueKey = await resolvedInJira('fv-50', ['2.4.1']);
      sim.clearRequests();
      await Promise.all(Array.from({ length: 50 }, () => post('fv-50', '2.5.0')));
      await eventually(async () => comments(issueKey).length >= 1, 20_000);
      await new Promise((r) => setTimeout(r, 1_000));
      expect(await group('fv-50')).toMatchObject({ state: 'open', regressions: 1, count: 51 });
      expect(comments(issueKey)).toHaveLength(1);
      expect(sim.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/transitions'))).toHaveLength(1);
    });

    it('takes the lowest of several fix versions, including prefixed names', async () => {
      await resolvedInJira('fv-multi', ['Release 2.6.0', 'v2.3.8 hotfix', '2.4.1']);
      expect((await group('fv-multi')).resolvedUntil).toEqual({ attribute: 'version', version: '2.3.8' });
    });

    it('clears resolved-until when a person reopens the issue, and sets the new one on the next Done', async () => {
      const issueKey = await resolvedInJira('fv-reopen', ['2.4.1']);
      sim.transition(issueKey, 'In Progress');
      await eventually(async () => (await group('fv-reopen')).state === 'in-progress', 20_000);
      expect((await group('fv-reopen')).resolvedUntil).toBeNull();
      sim.transition(issueKey, 'Done', { fixVersions: ['2.5.0'] });
      await eventually(async () => (await group('fv-reopen')).resolvedUntil?.version === '2.5.0', 20_000);
    });

    it('resolves without a version when no fix version name holds one, and says so', async () => {
      const fp = 'fv-none';
      await post(fp, '2.4.0').expect(201);
      const ticket = await eventually(async () => (await group(fp)).ticket, 20_000);
      sim.transition(ticket.key, 'Done', { fixVersions: ['Next release'] });
      await eventually(async () => (await group(fp)).state === 'resolved', 20_000);
      expect((await group(fp)).resolvedUntil).toBeNull();
      const log = await app.admin('get', `/api/v1/projects/${key}/activity?fingerprint=${fp}&kind=fix-version.unparsable`).expect(200);
      expect(log.body[0].detail).toContain('Next release');
    });
  });
}
