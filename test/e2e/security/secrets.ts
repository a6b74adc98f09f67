// Where secrets may appear: never in an answer, a log line, /metrics or a table; encrypted and
// bound to their row at rest. Runs last: it scans what every other section produced.
import { createHash } from 'node:crypto';
import { Client } from 'pg';
import { SecretBox } from '@app/common/crypto';
import { tokenAad, webhookAad } from '@app/modules/jira-settings/jira-integration.service';
import { JiraSimulator } from '../../jira-sim';
import { captureProcessOutput } from '../../support/captured-logs';
import { activity, getGroup, postWebhook, waitOutboxIdle } from '../../support/sync';
import { eventually, projectIdOf, TestApp } from '../../support/test-app';
import { Seen, SecuritySuite } from './suite';

export function secretSpecs(suite: SecuritySuite): void {
  describe('secrets', () => {
    const { ADMIN_TOKEN, JIRA_TOKEN, PAT, WRONG_TOKEN, configure, ingestTokens, logs, newProject, seen, webhookSecrets } = suite;
    let app: TestApp;
    let cloud: JiraSimulator;
    let dc: JiraSimulator;
    let output: ReturnType<typeof captureProcessOutput>;
    beforeAll(() => ({ app, cloud, dc, output } = suite));

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
      expect(rowP.auth_secret_enc).toMatch(/^v2:[A-Za-z0-9_-]{8}:[A-Za-z0-9_-]+:[A-Za-z0-9_-]+:[A-Za-z0-9_-]+$/);
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
}

/** Every row of every table of the schema, as text. */
async function dumpAll(query: (sql: string) => Promise<Array<Record<string, unknown>>>): Promise<string> {
  const tables = (await query(`SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`)).map((r) => String(r.table_name));
  expect(tables).toEqual(expect.arrayContaining(['projects', 'jira_integrations', 'activity', 'outbox', 'error_groups']));
  const parts: string[] = [];
  for (const t of tables) for (const r of await query(`SELECT row_to_json(x)::text AS j FROM "${t}" x`)) parts.push(String(r.j));
  return parts.join('\n');
}
