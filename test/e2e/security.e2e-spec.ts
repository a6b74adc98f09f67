// Security properties, end to end: who may call what (admin token, ingest tokens across projects,
// webhook secrets, forged and replayed webhooks), where secrets may appear (API answers, logs,
// /metrics, the database), and where the Jira client may connect (SSRF guard, JIRA_ALLOWED_HOSTS).
// Access is checked here; the other sections live in test/e2e/security/ and run in this suite.
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { JiraSimulator } from '../jira-sim';
import { CapturingLogger, captureProcessOutput } from '../support/captured-logs';
import { getGroup, linkedGroups, postWebhook, waitOutboxIdle } from '../support/sync';
import { storedDigest } from '../support/fuzz';
import { configureJira, startSim } from '../support/jira';
import { createProject, projectIdOf, startTestApp, TestApp } from '../support/test-app';
import { forgedWebhookSpecs } from './security/forged-webhooks';
import { secretSpecs } from './security/secrets';
import { ssrfGuardSpecs } from './security/ssrf-guard';
import { recordAnswers, Seen, SecuritySuite } from './security/suite';

const unique = (label: string) => `${label}-${randomBytes(9).toString('base64url')}`;

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
  // No backlink comments (comments.outbound off): the webhook specs take the simulator's events by position.
  const configure = async (key: string, sim: JiraSimulator, overrides: Record<string, unknown> = {}) => {
    const body = await configureJira(app, key, sim, {
      createRules: { onNewGroup: false, minCount: 1, maxTicketsPerHour: 1000 }, comments: { inbound: true, outbound: false }, ...overrides,
    });
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

  /** The sections below share this app, its simulators and its recorders. */
  const suite: SecuritySuite = {
    get app() { return app; },
    get cloud() { return cloud; },
    get dc() { return dc; },
    get output() { return output; },
    logs, seen, ADMIN_TOKEN, JIRA_TOKEN, PAT, WRONG_TOKEN, ingestTokens, webhookSecrets, newProject, configure,
  };
  forgedWebhookSpecs(suite);
  ssrfGuardSpecs(suite);
  secretSpecs(suite);
});
