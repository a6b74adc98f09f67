// Security properties, end to end: who may call what (admin token, ingest tokens across projects,
// webhook secrets, forged and replayed webhooks), where secrets may appear (API answers, logs,
// /metrics, the database), and where the Jira client may connect (SSRF guard, JIRA_ALLOWED_HOSTS).
import { createHash, randomBytes } from 'node:crypto';
import { Client } from 'pg';
import request from 'supertest';
import { SecretBox } from '@app/common/crypto';
import { tokenAad, webhookAad } from '@app/modules/jira-settings/jira-integration.service';
import { JiraSimulator } from '../jira-sim';
import { CapturingLogger, captureProcessOutput } from '../support/captured-logs';
import { activity, getGroup, hubSignature, linkedGroups, postWebhook, waitOutboxIdle } from '../support/convergence';
import { storedDigest } from '../support/fuzz';
import { configureJira, startSim } from '../support/jira';
import { createProject, eventually, projectIdOf, startTestApp, TestApp } from '../support/test-app';

const unique = (label: string) => `${label}-${randomBytes(9).toString('base64url')}`;

type Seen = { method: string; path: string; status: number; text: string };

/** Routes every request of `app.http()` / `app.admin()` through a recorder of the answers. */
function recordAnswers(app: TestApp, seen: Seen[]): void {
  const http = () => {
    const agent = request(app.url);
    const wrap = (method: 'get' | 'post' | 'put' | 'patch' | 'delete') => (path: string) =>
      agent[method](path).on('response', (res: { status: number; text?: string; headers: unknown }) => {
        seen.push({ method: method.toUpperCase(), path, status: res.status, text: `${JSON.stringify(res.headers)}\n${res.text ?? ''}` });
      });
    return { get: wrap('get'), post: wrap('post'), put: wrap('put'), patch: wrap('patch'), delete: wrap('delete') } as unknown as ReturnType<TestApp['http']>;
  };
  app.http = http;
  app.admin = (method, path) => http()[method](path).set('Authorization', `Bearer ${app.adminToken}`);
}

describe('security', () => {
  const logs = new CapturingLogger();
  const seen: Seen[] = [];
  const ADMIN_TOKEN = unique('cbtest-admin-token');
  let output: ReturnType<typeof captureProcessOutput>;
  let app: TestApp;
  let cloud: JiraSimulator;
  let dc: JiraSimulator;
  // Recognisable credentials: the simulators accept these and nothing else.
  const JIRA_TOKEN = unique('cbtest-jira-api-token');
  const PAT = unique('cbtest-jira-pat');
  const WRONG_TOKEN = unique('cbtest-wrong-token');
  /** Every ingest token and webhook secret handed out during the suite. */
  const ingestTokens: string[] = [];
  const webhookSecrets: string[] = [];

  const newProject = async () => {
    const p = await createProject(app);
    ingestTokens.push(p.ingestToken);
    return p;
  };
  const configure = async (key: string, sim: JiraSimulator, overrides: Record<string, unknown> = {}) => {
    const body = await configureJira(app, key, sim, { createRules: { onNewGroup: false, minCount: 1, maxTicketsPerHour: 1000 }, ...overrides });
    if (body.webhook.secret) webhookSecrets.push(body.webhook.secret);
    return body;
  };

  beforeAll(async () => {
    output = captureProcessOutput();
    app = await startTestApp({ logger: logs, env: { ADMIN_TOKEN, LOG_LEVEL: 'verbose', JIRA_SEARCH_CONSISTENCY_SECONDS: '1' } });
    recordAnswers(app, seen);
    cloud = await startSim({ flavour: 'cloud' });
    cloud.credentials.apiToken = JIRA_TOKEN;
    cloud.webhookMode = 'manual';
    dc = await startSim({ flavour: 'datacenter' });
    dc.credentials.pat = PAT;
    dc.webhookMode = 'manual';
  });
  afterAll(async () => {
    await cloud?.stop();
    await dc?.stop();
    await app?.stop();
    output?.restore();
  });

  // -------------------------------------------------------------------------------------------
  describe('access', () => {
    /** Every operation the OpenAPI document lists under /api/v1, with its path parameters filled in. */
    async function adminOperations(key: string, fingerprint: string): Promise<Array<{ method: 'get' | 'post' | 'put' | 'patch' | 'delete'; path: string; template: string }>> {
      const doc = (await app.http().get('/docs-json').expect(200)).body as { paths: Record<string, Record<string, unknown>> };
      return Object.entries(doc.paths)
        .filter(([template]) => template.startsWith('/api/v1/'))
        .flatMap(([template, ops]) =>
          Object.keys(ops).map((method) => ({
            method: method as 'get' | 'post' | 'put' | 'patch' | 'delete',
            template,
            path: template.replace('{key}', key).replace('{fingerprint}', fingerprint),
          })),
        );
    }

    it('answers 401 on every admin route without a valid admin token, however it is sent, and changes nothing', async () => {
      const a = await newProject();
      await app.admin('post', `/api/v1/projects/${a.key}/groups`).send({ fingerprint: 'fp-a' }).expect(201);
      const before = await storedDigest(app, await projectIdOf(app, a.key));
      const projectsBefore = (await app.admin('get', '/api/v1/projects').expect(200)).body;
      const ops = await adminOperations(a.key, 'fp-a');
      expect(ops.length).toBeGreaterThanOrEqual(18); // the document lists the API (an empty one would prove nothing)

      const attempts: Array<[string, (r: request.Test) => request.Test]> = [
        ['no Authorization', (r) => r],
        ['an empty bearer', (r) => r.set('Authorization', 'Bearer ')],
        ['a wrong token', (r) => r.set('Authorization', 'Bearer cb_admin_not-the-token')],
        ['the token with a suffix', (r) => r.set('Authorization', `Bearer ${ADMIN_TOKEN}x`)],
        ['a prefix of the token', (r) => r.set('Authorization', `Bearer ${ADMIN_TOKEN.slice(0, -1)}`)],
        ['the token as Basic credentials', (r) => r.set('Authorization', `Basic ${Buffer.from(`admin:${ADMIN_TOKEN}`).toString('base64')}`)],
        ['the token without a scheme', (r) => r.set('Authorization', ADMIN_TOKEN)],
        ['the token in X-Api-Key', (r) => r.set('X-Api-Key', ADMIN_TOKEN)],
        ['the token in a cookie', (r) => r.set('Cookie', `token=${ADMIN_TOKEN}`)],
      ];
      const wrong: string[] = [];
      for (const op of ops) {
        for (const [how, auth] of attempts) {
          const res = await auth(app.http()[op.method](op.path).set('Content-Type', 'application/json')).send('{}');
          if (res.status !== 401) wrong.push(`${op.method.toUpperCase()} ${op.template} with ${how}: ${res.status}`);
        }
        // Nor in the query string.
        const res = await app.http()[op.method](`${op.path}?access_token=${ADMIN_TOKEN}&token=${ADMIN_TOKEN}`).set('Content-Type', 'application/json').send('{}');
        if (res.status !== 401) wrong.push(`${op.method.toUpperCase()} ${op.template} with the token in the query: ${res.status}`);
      }
      expect(wrong).toEqual([]);
      expect(await storedDigest(app, await projectIdOf(app, a.key))).toEqual(before);
      expect((await app.admin('get', '/api/v1/projects').expect(200)).body).toEqual(projectsBefore);
    });

    it("answers 403 to an ingest token everywhere but its own project's ingestion, and changes nothing", async () => {
      const a = await newProject();
      const b = await newProject();
      await configure(a.key, cloud);
      for (const p of [a, b]) await app.admin('post', `/api/v1/projects/${p.key}/groups`).send({ fingerprint: 'fp-a', title: 'Before' }).expect(201);
      const digests = async () => [await storedDigest(app, await projectIdOf(app, a.key)), await storedDigest(app, await projectIdOf(app, b.key))];
      const before = await digests();

      const ops = await adminOperations(a.key, 'fp-a');
      const ingestion = (op: { method: string; template: string }) => op.method === 'post' && op.template === '/api/v1/projects/{key}/groups';
      const wrong: string[] = [];
      for (const op of ops) {
        // Another project's ingest token: refused on every route of project a, ingestion included.
        const body = ingestion(op) ? { fingerprint: 'fp-a', title: 'Overwritten', count: 99 } : {};
        const other = await app.http()[op.method](op.path).set('Authorization', `Bearer ${b.ingestToken}`).send(body);
        if (other.status !== 403) wrong.push(`${op.method.toUpperCase()} ${op.template} with another project's ingest token: ${other.status}`);
        // Its own ingest token: only ingestion.
        if (!ingestion(op)) {
          const own = await app.http()[op.method](op.path).set('Authorization', `Bearer ${a.ingestToken}`).send({});
          if (own.status !== 403) wrong.push(`${op.method.toUpperCase()} ${op.template} with the project's own ingest token: ${own.status}`);
        }
      }
      expect(wrong).toEqual([]);
      expect(await digests()).toEqual(before);

      // The one thing an ingest token does: post its own project's groups (and only there).
      await app.http().post(`/api/v1/projects/${a.key}/groups`).set('Authorization', `Bearer ${a.ingestToken}`).send({ fingerprint: 'fp-new' }).expect(201);
      expect((await getGroup(app, a.key, 'fp-new')).fingerprint).toBe('fp-new');
      await app.admin('get', `/api/v1/projects/${b.key}/groups/fp-new`).expect(404);
      expect((await app.admin('get', `/api/v1/projects/${b.key}/groups/fp-a`).expect(200)).body.title).toBe('Before');

      // A rotated token stops working at once (401: it is nobody's now), the new one works.
      const rotated = (await app.admin('post', `/api/v1/projects/${a.key}/ingest-token`).expect(200)).body.ingestToken as string;
      ingestTokens.push(rotated);
      await app.http().post(`/api/v1/projects/${a.key}/groups`).set('Authorization', `Bearer ${a.ingestToken}`).send({ fingerprint: 'fp-old' }).expect(401);
      await app.http().post(`/api/v1/projects/${a.key}/groups`).set('Authorization', `Bearer ${rotated}`).send({ fingerprint: 'fp-rotated' }).expect(201);
      await app.admin('get', `/api/v1/projects/${a.key}/groups/fp-old`).expect(404);
    });

    it('keeps webhooks of one project out of another: its secret, its signature, its URL', async () => {
      const a = await newProject();
      const b = await newProject();
      const secretA = (await configure(a.key, cloud)).webhook.secret as string;
      const secretB = (await configure(b.key, cloud)).webhook.secret as string;
      const keys = await linkedGroups(app, a.key, cloud, ['fp-0']);
      cloud.pendingWebhooks.splice(0);
      cloud.transition(keys.get('fp-0')!, 'Done');
      const [event] = cloud.pendingWebhooks.splice(0);
      const pa = await projectIdOf(app, a.key);
      const before = await storedDigest(app, pa, ['webhook.rejected']);

      await postWebhook(app, a.key, event.body, { secret: secretB }).expect(401);
      await postWebhook(app, a.key, event.body, { secret: secretB, style: 'query' }).expect(401);
      await waitOutboxIdle(app, pa);
      expect(await storedDigest(app, pa, ['webhook.rejected'])).toEqual(before);
      expect((await getGroup(app, a.key, 'fp-0')).state).toBe('open');
      // Project b accepts its own secret, but the issue is not linked there: nothing to apply.
      await postWebhook(app, b.key, event.body, { secret: secretB }).expect(202);
      await postWebhook(app, a.key, event.body, { secret: secretA }).expect(202);
      await waitOutboxIdle(app, pa);
      expect((await getGroup(app, a.key, 'fp-0')).state).toBe('resolved');
    });
  });

  // -------------------------------------------------------------------------------------------
  describe('forged and replayed webhooks', () => {
    it('refuses forged deliveries with 401 and applies nothing', async () => {
      const p = await newProject();
      const secret = (await configure(p.key, cloud)).webhook.secret as string;
      const keys = await linkedGroups(app, p.key, cloud, ['fp-0']);
      cloud.pendingWebhooks.splice(0);
      cloud.transition(keys.get('fp-0')!, 'Done');
      const [event] = cloud.pendingWebhooks.splice(0);
      const raw = JSON.stringify(event.body);
      const projectId = await projectIdOf(app, p.key);
      const before = await storedDigest(app, projectId, ['webhook.rejected']);
      const url = `/webhooks/jira/${p.key}`;
      const post = (path: string, headers: Record<string, string>, body = raw) => {
        let r = app.http().post(path).set('Content-Type', 'application/json');
        for (const [k, v] of Object.entries(headers)) r = r.set(k, v);
        return r.send(body);
      };
      const hex = hubSignature(secret, raw).slice('sha256='.length);
      const forgeries: Array<[string, request.Test]> = [
        ['no signature, no secret', post(url, {})],
        ['signed with another secret', post(url, { 'X-Hub-Signature': hubSignature(`${secret}x`, raw) })],
        ['signature of another body', post(url, { 'X-Hub-Signature': hubSignature(secret, raw) }, raw.replace('"Done"', '"To Do"'))],
        ['a truncated signature', post(url, { 'X-Hub-Signature': `sha256=${hex.slice(0, 32)}` })],
        ['the right signature as sha1', post(url, { 'X-Hub-Signature': `sha1=${hex}` })],
        ['the signature without its scheme', post(url, { 'X-Hub-Signature': hex })],
        ['an empty signature', post(url, { 'X-Hub-Signature': 'sha256=' })],
        ['the secret itself as signature', post(url, { 'X-Hub-Signature': secret })],
        ['a wrong ?secret=', post(`${url}?secret=${encodeURIComponent(`${secret}x`)}`, {})],
        ['an empty ?secret=', post(`${url}?secret=`, {})],
        ['a prefix of the secret', post(`${url}?secret=${encodeURIComponent(secret.slice(0, -1))}`, {})],
        ['the secret in another header', post(url, { 'X-Webhook-Secret': secret, Authorization: `Bearer ${secret}` })],
        ['a wrong signature next to the right ?secret=', post(`${url}?secret=${encodeURIComponent(secret)}`, { 'X-Hub-Signature': `sha256=${'0'.repeat(64)}` })],
        ['the admin token instead', post(url, { Authorization: `Bearer ${ADMIN_TOKEN}` })],
      ];
      const statuses = await Promise.all(forgeries.map(async ([what, req]) => [what, (await req).status] as const));
      expect(statuses.filter(([, s]) => s !== 401)).toEqual([]);
      await waitOutboxIdle(app, projectId);
      expect(await storedDigest(app, projectId, ['webhook.rejected'])).toEqual(before);
      expect((await getGroup(app, p.key, 'fp-0')).state).toBe('open');
      expect(await activity(app, p.key, { kind: 'webhook.rejected', limit: 100 })).toHaveLength(forgeries.length);
    });

    it('applies a replayed delivery once, never lets an old one undo a newer change, and refuses replays after a secret rotation', async () => {
      const p = await newProject();
      const secret = (await configure(p.key, cloud, { statusMapping: [{ jiraStatus: 'To Do', state: 'open', primary: true }, { jiraStatus: 'Done', state: 'resolved', primary: true }] })).webhook.secret as string;
      const keys = await linkedGroups(app, p.key, cloud, ['fp-0']);
      const projectId = await projectIdOf(app, p.key);
      cloud.pendingWebhooks.splice(0);
      cloud.transition(keys.get('fp-0')!, 'Done');
      const [done] = cloud.pendingWebhooks.splice(0);
      const send = (event: typeof done, opts: { identifier?: boolean; secret?: string } = {}) =>
        postWebhook(app, p.key, event.body, { secret: opts.secret ?? secret, headers: opts.identifier === false ? {} : { 'X-Atlassian-Webhook-Identifier': event.id } });

      /** What a webhook can change: the groups, the issue links and snapshots, the activity log. */
      const effect = async () => {
        const d = await storedDigest(app, projectId);
        return [d.error_groups, d.jira_issues, d.activity];
      };
      expect((await send(done)).body).toEqual({ status: 'accepted' });
      await waitOutboxIdle(app, projectId);
      expect((await getGroup(app, p.key, 'fp-0')).state).toBe('resolved');
      const applied = await storedDigest(app, projectId);

      // The same delivery again (as Jira retries, or an attacker replays): acknowledged, not even queued.
      expect((await send(done)).body).toEqual({ status: 'duplicate' });
      await waitOutboxIdle(app, projectId);
      expect(await storedDigest(app, projectId)).toEqual(applied);
      // The identifier is not signed: a replay without it (or with another one) is known by its body, and changes nothing.
      await send(done, { identifier: false }).expect(202);
      await send({ ...done, id: 'another-identifier' }).expect(202);
      await waitOutboxIdle(app, projectId);
      expect(await effect()).toEqual([applied.error_groups, applied.jira_issues, applied.activity]);

      // A change made here after the event: replaying the event does not undo it.
      await app.admin('patch', `/api/v1/projects/${p.key}/groups/fp-0`).send({ assignee: 'carol@acme.com' }).expect(200);
      await waitOutboxIdle(app, projectId);
      const local = await effect();
      await send({ ...done, id: 'replay-after-a-local-change' }).expect(202);
      await waitOutboxIdle(app, projectId);
      expect(await effect()).toEqual(local);
      expect((await getGroup(app, p.key, 'fp-0')).assignee).toBe('carol@acme.com');

      // A newer change, then the old event replayed under a fresh identifier: the old one is stale.
      cloud.transition(keys.get('fp-0')!, 'To Do');
      const [reopened] = cloud.pendingWebhooks.splice(0);
      await send(reopened).expect(202);
      await waitOutboxIdle(app, projectId);
      expect((await getGroup(app, p.key, 'fp-0')).state).toBe('open');
      const replayed = { ...done, id: 'replayed-with-a-new-identifier' };
      await send(replayed).expect(202);
      await waitOutboxIdle(app, projectId);
      expect((await getGroup(app, p.key, 'fp-0')).state).toBe('open');
      expect(await activity(app, p.key, { fingerprint: 'fp-0', kind: 'state.changed', source: 'jira' })).toHaveLength(2);

      // After a rotation the old secret's signatures and ?secret= are worthless.
      const rotated = (await app.admin('post', `/api/v1/projects/${p.key}/integrations/jira/webhook-secret`).expect(200)).body.webhook.secret as string;
      webhookSecrets.push(rotated);
      expect(rotated).not.toBe(secret);
      const before = await storedDigest(app, projectId, ['webhook.rejected']);
      cloud.transition(keys.get('fp-0')!, 'Done');
      const [later] = cloud.pendingWebhooks.splice(0);
      await send(later).expect(401);
      await postWebhook(app, p.key, later.body, { secret, style: 'query' }).expect(401);
      await waitOutboxIdle(app, projectId);
      expect(await storedDigest(app, projectId, ['webhook.rejected'])).toEqual(before);
      await send(later, { secret: rotated }).expect(202);
      await waitOutboxIdle(app, projectId);
      expect((await getGroup(app, p.key, 'fp-0')).state).toBe('resolved');
    });
  });

  // -------------------------------------------------------------------------------------------
  describe('SSRF guard on apiUrl', () => {
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

  // -------------------------------------------------------------------------------------------
  describe('secrets', () => {
    /** Where a secret may legitimately be shown: ingest tokens on creation and rotation, webhook secrets on first PUT and rotation. */
    const mayShow = (kind: 'ingest' | 'webhook', s: Seen) =>
      kind === 'ingest'
        ? s.method === 'POST' && (s.path === '/api/v1/projects' || /^\/api\/v1\/projects\/[^/]+\/ingest-token$/.test(s.path))
        : (s.method === 'PUT' && /^\/api\/v1\/projects\/[^/]+\/integrations\/jira$/.test(s.path)) || (s.method === 'POST' && /\/integrations\/jira\/webhook-secret$/.test(s.path));

    it('never shows a credential in an answer, a log line or /metrics, through successful and failing Jira calls', async () => {
      const basic = (token: string) => Buffer.from(`${cloud.credentials.email}:${token}`).toString('base64');

      // A working Cloud integration: settings, test, preview, a ticket, outbound and inbound sync, resync.
      const p = await newProject();
      const projectId = await projectIdOf(app, p.key);
      const statusMapping = [{ jiraStatus: 'To Do', state: 'open', primary: true }, { jiraStatus: 'Done', state: 'resolved', primary: true }];
      const secret = (await configure(p.key, cloud, { statusMapping, createRules: { onNewGroup: true, minCount: 1, maxTicketsPerHour: 1000 } })).webhook.secret as string;
      await app.admin('get', `/api/v1/projects/${p.key}/integrations/jira`).expect(200);
      expect((await app.admin('post', `/api/v1/projects/${p.key}/integrations/jira/test`).expect(200)).body.ok).toBe(true);
      await app.admin('post', `/api/v1/projects/${p.key}/integrations/jira/preview`).send({ group: { fingerprint: 'x', title: 'Preview', attributes: { platform: 'Linux' } } }).expect(200);
      await app.http().post(`/api/v1/projects/${p.key}/groups`).set('Authorization', `Bearer ${p.ingestToken}`).send({ fingerprint: 'fp-1', title: 'Crash', attributes: { version: '1.0', platform: 'Linux' } }).expect(201);
      const ticket = await eventually(async () => (await getGroup(app, p.key, 'fp-1')).ticket, 20_000);
      await app.admin('patch', `/api/v1/projects/${p.key}/groups/fp-1`).send({ state: 'resolved', assignee: 'alice@acme.com' }).expect(200);
      await waitOutboxIdle(app, projectId);
      cloud.pendingWebhooks.splice(0);
      cloud.transition(ticket.key, 'To Do');
      cloud.registerWebhook({ url: `${app.url}/webhooks/jira/${p.key}`, secret, style: 'query' }); // the secret rides in the URL
      expect(await cloud.flushWebhooks()).toEqual([202]);
      cloud.transition(ticket.key, 'Done');
      const [signed] = cloud.pendingWebhooks.splice(0);
      await postWebhook(app, p.key, signed.body, { secret }).expect(202);
      await postWebhook(app, p.key, signed.body, { secret: `${secret}-forged` }).expect(401);
      await postWebhook(app, p.key, signed.body, { secret: `${secret}-forged`, style: 'query' }).expect(401);
      await app.admin('post', `/api/v1/projects/${p.key}/integrations/jira/resync`).expect((r) => expect(r.status).toBeLessThan(300));
      await waitOutboxIdle(app, projectId);

      // Failing Jira calls: 5xx and 429 then success; a wrong token (401); an unreachable Jira; a wrong token under test.
      cloud.faults.serverErrors(2, 500);
      expect((await app.admin('post', `/api/v1/projects/${p.key}/integrations/jira/test`).expect(200)).body.ok).toBe(true);
      cloud.faults.rateLimit({ requests: 2, retryAfterSeconds: 1 });
      await app.admin('post', `/api/v1/projects/${p.key}/groups`).send({ fingerprint: 'fp-2', title: 'After an outage' }).expect(201);
      await eventually(async () => (await getGroup(app, p.key, 'fp-2')).ticket, 30_000);
      const wrong = await newProject();
      await configure(wrong.key, cloud, { auth: { type: 'basic', email: cloud.credentials.email, apiToken: WRONG_TOKEN }, createRules: { onNewGroup: true, minCount: 1, maxTicketsPerHour: 1000 } });
      await app.admin('post', `/api/v1/projects/${wrong.key}/groups`).send({ fingerprint: 'fp-w', title: 'Refused' }).expect(201);
      await eventually(async () => (await activity(app, wrong.key, { kind: 'ticket.failed' })).length > 0, 20_000);
      expect((await app.admin('post', `/api/v1/projects/${wrong.key}/integrations/jira/test`).expect(200)).body.ok).toBe(false);
      expect((await app.admin('post', `/api/v1/projects/${p.key}/integrations/jira/test`).send({ auth: { type: 'basic', email: 'bot@acme.com', apiToken: WRONG_TOKEN } }).expect(200)).body.ok).toBe(false);
      const down = await newProject();
      await configure(down.key, cloud, { apiUrl: 'http://127.0.0.1:9/rest/api/2/' });
      expect((await app.admin('post', `/api/v1/projects/${down.key}/integrations/jira/test`).expect(200)).body.ok).toBe(false);
      // Data Center with a personal access token.
      const onDc = await newProject();
      await configure(onDc.key, dc);
      expect((await app.admin('post', `/api/v1/projects/${onDc.key}/integrations/jira/test`).expect(200)).body.ok).toBe(true);
      // Reading everything back.
      for (const key of [p.key, wrong.key, down.key, onDc.key]) {
        await app.admin('get', `/api/v1/projects/${key}`).expect(200);
        await app.admin('get', `/api/v1/projects/${key}/integrations/jira`).expect(200);
        await app.admin('get', `/api/v1/projects/${key}/groups`).expect(200);
        await app.admin('get', `/api/v1/projects/${key}/activity?limit=200`).expect(200);
      }
      await app.admin('get', '/api/v1/projects').expect(200);
      await app.http().get('/health').expect(200);
      await app.http().get('/docs-json').expect(200);
      const metrics = (await app.http().get('/metrics').expect(200)).text;

      // The calls really happened (else their absence from the logs would prove nothing).
      expect(metrics).toMatch(/crashbridge_jira_calls_total\{method="POST",outcome="ok"\} [1-9]/);
      expect(metrics).toMatch(/crashbridge_jira_calls_total\{method="[A-Z]+",outcome="auth"\} [1-9]/);
      expect(metrics).toMatch(/crashbridge_jira_calls_total\{method="[A-Z]+",outcome="network"\} [1-9]/);
      expect(metrics).toMatch(/crashbridge_jira_calls_total\{method="[A-Z]+",outcome="server"\} [1-9]/);
      expect(metrics).toMatch(/crashbridge_jira_calls_total\{method="[A-Z]+",outcome="rate_limited"\} [1-9]/);
      const logged = [...logs.lines, output.text()].join('\n');
      expect(logged).toContain('jira integration created');
      expect(logged).toContain('Created Jira issue');
      expect(logged).toMatch(/"method":"POST","path":"\/api\/v1\/projects\/[^"]+\/integrations\/jira\/test","status":200/); // debug level included
      expect(logged).toMatch(/"path":"\/webhooks\/jira\/[^"]+","status":401/);
      expect(logged).toMatch(/"path":"\/webhooks\/jira\/[^"]+","status":202/);

      const never = { 'the Jira API token': JIRA_TOKEN, 'the personal access token': PAT, 'a rejected token': WRONG_TOKEN, 'the admin token': ADMIN_TOKEN,
        'Basic credentials': basic(JIRA_TOKEN), 'rejected Basic credentials': basic(WRONG_TOKEN) };
      const shownOnce = [...ingestTokens.map((t) => ['ingest', t] as const), ...webhookSecrets.map((t) => ['webhook', t] as const)];
      expect(ingestTokens.length).toBeGreaterThan(3);
      expect(webhookSecrets.length).toBeGreaterThan(3);

      const leaks: string[] = [];
      for (const s of seen) {
        for (const [name, value] of Object.entries(never)) if (s.text.includes(value)) leaks.push(`${s.method} ${s.path} (${s.status}) shows ${name}`);
        for (const [kind, value] of shownOnce) if (s.text.includes(value) && !mayShow(kind, s)) leaks.push(`${s.method} ${s.path} (${s.status}) shows a ${kind} secret`);
      }
      for (const [name, value] of [...Object.entries(never), ...shownOnce.map(([kind, v]) => [`a ${kind} secret`, v] as const)]) {
        if (logged.includes(value)) leaks.push(`the logs show ${name}`);
        if (metrics.includes(value)) leaks.push(`/metrics shows ${name}`);
      }
      expect(seen.length).toBeGreaterThan(100);
      // Jira's refusal reached the answers (activity, test connection) without the token that caused it.
      expect(seen.some((x) => x.path.startsWith(`/api/v1/projects/${wrong.key}/activity`) && x.text.includes('Jira 401'))).toBe(true);
      expect(leaks).toEqual([]);
    });

    it('stores credentials encrypted: no secret in any table, tokens hashed, ciphertexts bound to their row', async () => {
      const p = await newProject();
      const q = await newProject();
      const secretP = (await configure(p.key, cloud)).webhook.secret as string;
      await configure(q.key, cloud); // the same API token in another project
      const [pid, qid] = [await projectIdOf(app, p.key), await projectIdOf(app, q.key)];

      // The raw rows, read with a plain pg client (PostgreSQL mode) or raw SQL through the service's pool (embedded).
      let rows: Array<Record<string, string>>;
      let everything: string;
      if (app.config.databaseUrl) {
        const client = new Client({ connectionString: app.config.databaseUrl });
        await client.connect();
        try {
          rows = (await client.query(`SELECT project_id::text, api_url, auth_user, auth_secret_enc, webhook_secret_enc, settings::text FROM jira_integrations WHERE project_id = ANY($1::bigint[]) ORDER BY project_id`, [[pid, qid]])).rows;
          everything = await dumpAll((sql) => client.query(sql).then((r) => r.rows));
        } finally {
          await client.end();
        }
      } else {
        // PGlite serves one connection at a time: go through the service's pool, still raw SQL.
        rows = await app.dataSource.query(`SELECT project_id::text, api_url, auth_user, auth_secret_enc, webhook_secret_enc, settings::text FROM jira_integrations WHERE project_id = ANY($1::bigint[]) ORDER BY project_id`, [[pid, qid]]);
        everything = await dumpAll((sql) => app.dataSource.query(sql));
      }
      const [rowP, rowQ] = rows;
      expect(rowP.api_url).toBe(cloud.apiUrl);
      expect(rowP.auth_user).toBe('bot@acme.com');

      const spellings = (s: string) => [s, Buffer.from(s).toString('base64'), Buffer.from(s).toString('base64url'), Buffer.from(s).toString('hex')];
      for (const secret of [JIRA_TOKEN, secretP, ...webhookSecrets, ...ingestTokens, ADMIN_TOKEN, PAT, WRONG_TOKEN]) {
        for (const spelled of spellings(secret)) expect(everything.includes(spelled) ? `found ${secret.slice(0, 12)}…` : 'absent').toBe('absent');
      }
      expect(everything).toContain(rowP.auth_secret_enc); // the dump did include the integration rows
      // AES-256-GCM with a fresh IV: the same token encrypts differently in two rows …
      expect(rowP.auth_secret_enc).toMatch(/^v1:[A-Za-z0-9_-]+:[A-Za-z0-9_-]+:[A-Za-z0-9_-]+$/);
      expect(rowP.auth_secret_enc).not.toBe(rowQ.auth_secret_enc);
      // … and decrypts with the key only for its own row and column.
      const box = new SecretBox(app.config.encryptionKey);
      expect(box.decrypt(rowP.auth_secret_enc, tokenAad(pid))).toBe(JIRA_TOKEN);
      expect(box.decrypt(rowP.webhook_secret_enc, webhookAad(pid))).toBe(secretP);
      expect(() => box.decrypt(rowP.auth_secret_enc, tokenAad(qid))).toThrow();
      expect(() => box.decrypt(rowP.auth_secret_enc, webhookAad(pid))).toThrow();
      expect(() => new SecretBox(Buffer.alloc(32, 1)).decrypt(rowP.auth_secret_enc, tokenAad(pid))).toThrow();
      // Ingest tokens are kept as their SHA-256 only.
      const [project] = await app.dataSource.query(`SELECT ingest_token_hash FROM projects WHERE id = $1`, [pid]);
      expect(project.ingest_token_hash).toBe(createHash('sha256').update(p.ingestToken).digest('hex'));
    });
  });
});

/** Every row of every table of the schema, as text. */
async function dumpAll(query: (sql: string) => Promise<Array<Record<string, unknown>>>): Promise<string> {
  const tables = (await query(`SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`)).map((r) => String(r.table_name));
  expect(tables).toEqual(expect.arrayContaining(['projects', 'jira_integrations', 'activity', 'outbox', 'error_groups']));
  const parts: string[] = [];
  for (const t of tables) for (const r of await query(`SELECT row_to_json(x)::text AS j FROM "${t}" x`)) parts.push(String(r.j));
  return parts.join('\n');
}
