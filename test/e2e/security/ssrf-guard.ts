// Where the Jira client may connect: the SSRF guard on apiUrl, at PUT and at connection time,
// and JIRA_ALLOWED_HOSTS.
import { JiraSimulator } from '../../jira-sim';
import { storedDigest } from '../../support/fuzz';
import { activity, waitOutboxIdle } from '../../support/sync';
import { createProject, eventually, projectIdOf, startTestApp, TestApp } from '../../support/test-app';
import { SecuritySuite } from './suite';

export function ssrfGuardSpecs(suite: SecuritySuite): void {
  describe('SSRF guard on apiUrl', () => {
    const { JIRA_TOKEN, configure, logs, newProject } = suite;
    let app: TestApp;
    let cloud: JiraSimulator;
    beforeAll(() => ({ app, cloud } = suite));

    const put = (key: string, apiUrl: string) =>
      app.admin('put', `/api/v1/projects/${key}/integrations/jira`).send({ apiUrl, auth: { type: 'basic', email: 'bot@acme.com', apiToken: JIRA_TOKEN }, projectKey: 'CHK', subject: '{{title}}' });

    it.each([
      ['http://169.254.169.254/latest/meta-data/', 'cloud metadata address'],
      ['http://169.254.170.2/v2/credentials', 'cloud metadata address'],
      ['http://169.254.1.1:8080/', 'link-local address'],
      ['http://[fe80::1]/', 'link-local address'],
      ['http://[fd00:ec2::254]/', 'cloud metadata address'],
      ['http://0.0.0.0:8089/rest/api/2/', 'unspecified address'],
      ['http://[::]:8089/', 'unspecified address'],
      ['http://metadata.google.internal/computeMetadata/v1/', 'cloud metadata host'],
      ['http://2852039166/', 'cloud metadata address'],
      ['http://[::ffff:169.254.169.254]/', 'cloud metadata address'],
    ])('refuses %s with a 400 naming apiUrl, storing nothing', async (apiUrl, reason) => {
      const p = await newProject();
      const projectId = await projectIdOf(app, p.key);
      const before = await storedDigest(app, projectId);
      const res = await put(p.key, apiUrl).expect(400);
      expect(res.body.code).toBe('JIRA_HOST_REFUSED');
      expect(res.body.message.join(' ')).toMatch(new RegExp(`^apiUrl is refused: .*${reason}`));
      expect(res.text).not.toContain(JIRA_TOKEN);
      expect(await storedDigest(app, projectId)).toEqual(before);
      // Nor can an existing integration be moved there.
      await put(p.key, cloud.apiUrl).expect(200);
      const saved = await storedDigest(app, projectId);
      await put(p.key, apiUrl).expect(400);
      expect(await storedDigest(app, projectId)).toEqual(saved);
    });

    it('allows loopback and private addresses by default (Jira Data Center on the local network)', async () => {
      const p = await newProject();
      for (const apiUrl of ['http://127.0.0.1:8089/rest/api/2/', 'http://localhost:8089/', 'http://[::1]:8089/', 'http://10.1.2.3/jira', 'https://192.168.0.10/', 'https://jira.internal.example/']) {
        expect({ apiUrl, status: (await put(p.key, apiUrl)).status }).toEqual({ apiUrl, status: 200 });
      }
    });

    it('refuses at connection time a stored apiUrl the guard refuses (saved before the guard): a failed check, a failed ticket, no request', async () => {
      const p = await newProject();
      await configure(p.key, cloud, { createRules: { onNewGroup: true, minCount: 1, maxTicketsPerHour: 1000 } });
      const projectId = await projectIdOf(app, p.key);
      // As a row written before the guard existed would be: straight into the table.
      await app.dataSource.query(`UPDATE jira_integrations SET api_url = $2, revision = revision + 1 WHERE project_id = $1`, [projectId, 'http://169.254.169.254/rest/api/2/']);
      const requestsBefore = cloud.requests.length;

      const test = await app.admin('post', `/api/v1/projects/${p.key}/integrations/jira/test`).expect(200);
      expect(test.body.ok).toBe(false);
      expect(test.body.checks[0]).toMatchObject({ name: 'auth', ok: false, detail: expect.stringContaining('Jira connection refused: 169.254.169.254 is a cloud metadata address') });
      // Unsaved settings in the body are checked the same way.
      const unsaved = await app.admin('post', `/api/v1/projects/${p.key}/integrations/jira/test`).send({ apiUrl: 'http://[fe80::1]:8089/', auth: { type: 'basic', email: 'bot@acme.com', apiToken: JIRA_TOKEN } }).expect(200);
      expect(unsaved.body.checks[0]).toMatchObject({ name: 'auth', ok: false, detail: expect.stringContaining('link-local address') });

      await app.admin('post', `/api/v1/projects/${p.key}/groups`).send({ fingerprint: 'fp-ssrf', title: 'SSRF' }).expect(201);
      const [failed] = await eventually(async () => {
        const entries = await activity(app, p.key, { fingerprint: 'fp-ssrf', kind: 'ticket.failed' });
        return entries.length ? entries : null;
      }, 20_000);
      expect(failed.detail).toContain('Jira connection refused: 169.254.169.254 is a cloud metadata address');
      await waitOutboxIdle(app, projectId);
      const [{ attempts }] = await app.dataSource.query(`SELECT max(attempts) AS attempts FROM outbox WHERE project_id = $1 AND kind = 'ticket.create'`, [projectId]);
      expect(Number(attempts)).toBe(1); // refused for good, not retried
      expect(cloud.requests.length).toBe(requestsBefore);
      expect((await app.http().get('/metrics').expect(200)).text).toMatch(/crashbridge_jira_calls_total\{method="GET",outcome="egress_denied"\} [1-9]/);
    });

    it('with JIRA_ALLOWED_HOSTS, accepts only the listed hosts, at PUT and at connection time', async () => {
      // Same logger: Nest's logger is process-wide, and this suite checks every line logged.
      const narrow = await startTestApp({ logger: logs, env: { JIRA_ALLOWED_HOSTS: '127.0.0.1, *.atlassian.net' } });
      try {
        expect(narrow.config.jiraAllowedHosts).toEqual(['127.0.0.1', '*.atlassian.net']);
        const { key } = await createProject(narrow);
        const projectId = await projectIdOf(narrow, key);
        const putTo = (apiUrl: string) => narrow.admin('put', `/api/v1/projects/${key}/integrations/jira`).send({ apiUrl, auth: { type: 'basic', email: 'bot@acme.com', apiToken: JIRA_TOKEN }, projectKey: 'CHK', subject: '{{title}}' });
        const port = new URL(cloud.apiUrl).port;
        for (const apiUrl of [`http://localhost:${port}/`, 'https://jira.acme.com/', 'http://10.0.0.5/', 'https://atlassian.net/', 'https://acme.atlassian.net.evil.com/', 'http://169.254.169.254/']) {
          const res = await putTo(apiUrl);
          expect({ apiUrl, status: res.status, code: res.body.code }).toEqual({ apiUrl, status: 400, code: 'JIRA_HOST_REFUSED' });
          expect(res.body.message[0]).toMatch(/^apiUrl is refused: /);
        }
        expect((await putTo('http://10.0.0.5/')).body.message[0]).toBe('apiUrl is refused: 10.0.0.5 is not in JIRA_ALLOWED_HOSTS (127.0.0.1, *.atlassian.net)');
        expect(await narrow.dataSource.query(`SELECT 1 FROM jira_integrations WHERE project_id = $1`, [projectId])).toEqual([]);
        await putTo('https://acme.atlassian.net/').expect(200);
        await putTo(cloud.apiUrl).expect(200);
        const ok = await narrow.admin('post', `/api/v1/projects/${key}/integrations/jira/test`).expect(200);
        expect(ok.body.checks[0]).toMatchObject({ name: 'auth', ok: true });

        // A stored host that the list no longer covers is refused when the client connects.
        await narrow.dataSource.query(`UPDATE jira_integrations SET api_url = $2, revision = revision + 1 WHERE project_id = $1`, [projectId, `http://localhost:${port}/rest/api/2/`]);
        const requestsBefore = cloud.requests.length;
        const refused = await narrow.admin('post', `/api/v1/projects/${key}/integrations/jira/test`).expect(200);
        expect(refused.body.checks[0]).toMatchObject({ name: 'auth', ok: false, detail: expect.stringContaining('localhost is not in JIRA_ALLOWED_HOSTS') });
        expect(cloud.requests.length).toBe(requestsBefore);
      } finally {
        await narrow.stop();
      }
    });
  });
}
