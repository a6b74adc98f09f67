// Issue #19 item 10: ENCRYPTION_KEY rotation. Secrets stored under key A, then the service restarts
// with key B: nothing answers 500, the settings say the secrets cannot be read, and with A in
// ENCRYPTION_KEY_PREVIOUS (or after `npm run reencrypt`) everything works again.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateEncryptionKey } from '@app/common/crypto';
import { loadConfig } from '@app/config/load-config';
import { reencrypt } from '@app/cli/reencrypt-command';
import { JiraSimulator } from '../jira-sim';
import { activity, postWebhook, waitOutboxIdle } from '../support/sync';
import { configureJira, startSim } from '../support/jira';
import { signIn, uiGet } from '../support/ui-session';
import { createProject, eventually, projectIdOf, startTestApp, TestApp, TestAppOptions } from '../support/test-app';

const WEBHOOK = JSON.parse(readFileSync(join(__dirname, '../fixtures/jira-webhooks/cloud-issue-updated-status.json'), 'utf8'));

describe('ENCRYPTION_KEY rotation (#19 item 10)', () => {
  const keyA = generateEncryptionKey();
  const keyB = generateEncryptionKey();
  let sim: JiraSimulator;
  let reuse: NonNullable<TestAppOptions['reuse']>;
  let key: string;
  let webhookSecret: string;
  let app: TestApp | undefined;

  const start = async (env: Record<string, string>) => (app = await startTestApp({ reuse, env }));
  const stop = async () => {
    await app?.stop({ keepData: true });
    app = undefined;
  };
  const settingsPath = () => `/api/v1/projects/${key}/integrations/jira`;

  beforeAll(async () => {
    sim = await startSim();
    const a = await startTestApp({ env: { ENCRYPTION_KEY: keyA } });
    reuse = { databaseUrl: a.config.databaseUrl, dataDir: a.config.dataDir, queuePrefix: a.config.queuePrefix };
    key = (await createProject(a)).key;
    const body = await configureJira(a, key, sim, { createRules: { onNewGroup: false, minCount: 1, maxTicketsPerHour: 100 } });
    webhookSecret = body.webhook.secret;
    await a.admin('post', `/api/v1/projects/${key}/groups`).send({ fingerprint: 'fp-1', title: 'crash', callstack: ['main'], count: 1 }).expect(201);
    await a.stop({ keepData: true });
  });
  afterEach(stop);
  afterAll(async () => {
    await sim.stop();
    // Removes the embedded data directory.
    await (await startTestApp({ reuse, env: { ENCRYPTION_KEY: keyB } })).stop();
  });

  it('after a restart with another key: settings say why, Test connection and preview 409, webhooks 401, tickets fail once, never a 500', async () => {
    const b = await start({ ENCRYPTION_KEY: keyB });
    const got = await b.admin('get', settingsPath()).expect(200);
    expect(got.body.auth).toEqual({
      type: 'basic', email: sim.credentials.email, tokenSet: false,
      tokenProblem: expect.stringMatching(/key this service does not have.*enter the token again or set ENCRYPTION_KEY_PREVIOUS/),
    });
    expect(got.body.webhook.secretProblem).toMatch(/rotate the webhook secret/);
    // The settings page says so where it would say "saved".
    const page = await uiGet(b, await signIn(b), `/ui/projects/${key}/jira`).expect(200);
    expect(page.text).toMatch(/id="secret-problem">The saved token cannot be read: encrypted under a key this service does not have/);
    expect(page.text).not.toContain('saved: leave empty to keep it');
    expect(page.text).toContain('id="webhook-secret-problem"');

    const test = await b.admin('post', `${settingsPath()}/test`).send({}).expect(409);
    expect(test.body).toMatchObject({ statusCode: 409, code: 'SECRET_UNREADABLE', message: [expect.stringContaining('Jira API token cannot be read')] });
    // A token typed into the test is used as it is: the unreadable one is not needed.
    const typed = await b.admin('post', `${settingsPath()}/test`).send({ auth: { type: 'basic', email: sim.credentials.email, apiToken: sim.credentials.apiToken } }).expect(200);
    expect(typed.body.ok).toBe(true);
    const preview = await b.admin('post', `${settingsPath()}/preview`).send({ fingerprint: 'fp-1' }).expect(409);
    expect(preview.body.code).toBe('SECRET_UNREADABLE');

    // Webhooks cannot be verified: 401, and one activity entry however many arrive.
    for (let i = 0; i < 3; i++) {
      const res = await postWebhook(b, key, WEBHOOK, { secret: webhookSecret });
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('WEBHOOK_UNAUTHORIZED');
    }
    const noted = await activity(b, key, { kind: 'jira.secret-unreadable' });
    expect(noted.filter((e) => e.detail.includes('webhook secret'))).toHaveLength(1);

    // A ticket job fails at once (no retries) and says why.
    await b.admin('post', `/api/v1/projects/${key}/groups/fp-1/ticket`).send({}).expect((r) => expect(r.status).toBeLessThan(300));
    const failed = await eventually(async () => (await activity(b, key, { kind: 'ticket.failed' }))[0]);
    expect(failed.detail).toMatch(/Jira API token cannot be read: .*ENCRYPTION_KEY_PREVIOUS/);
    await waitOutboxIdle(b, await projectIdOf(b, key));
    const attempts: Array<{ attempts: number }> = await b.dataSource.query(`SELECT attempts FROM outbox WHERE kind = 'ticket.create'`);
    expect(attempts).toEqual([{ attempts: 1 }]);

    // A PUT without the token keeps the stored one, and does not claim it is set.
    const { webhook: _w, auth: _a, health: _h, ...rest } = got.body;
    const put = await b.admin('put', settingsPath()).send({ ...rest, issueType: 'Task', auth: { type: 'basic', email: sim.credentials.email } }).expect(200);
    expect(put.body.auth).toMatchObject({ tokenSet: false, tokenProblem: expect.any(String) });
  });

  it('with the old key in ENCRYPTION_KEY_PREVIOUS everything works', async () => {
    const c = await start({ ENCRYPTION_KEY: keyB, ENCRYPTION_KEY_PREVIOUS: `${generateEncryptionKey()}, ${keyA}` });
    const got = await c.admin('get', settingsPath()).expect(200);
    expect(got.body.auth).toEqual({ type: 'basic', email: sim.credentials.email, tokenSet: true });
    expect(got.body.webhook).toEqual({ url: expect.any(String) });
    expect((await c.admin('post', `${settingsPath()}/test`).send({}).expect(200)).body.ok).toBe(true);
    expect((await postWebhook(c, key, WEBHOOK, { secret: webhookSecret })).status).toBe(202);
  });

  it('npm run reencrypt rewrites every secret under the current key, after which the old key is not needed', async () => {
    const env = (extra: Record<string, string>) => ({
      DATA_DIR: reuse.dataDir, ADMIN_TOKEN: 'test-admin-token-0123456789', ...(reuse.databaseUrl ? { DATABASE_URL: reuse.databaseUrl } : {}), ...extra,
    });
    // Without the old key nothing can be read, and nothing is changed.
    expect(await reencrypt(loadConfig(env({ ENCRYPTION_KEY: keyB })))).toEqual({ rewritten: 0, current: 0, unreadable: 2 });
    expect(await reencrypt(loadConfig(env({ ENCRYPTION_KEY: keyB, ENCRYPTION_KEY_PREVIOUS: keyA })))).toEqual({ rewritten: 2, current: 0, unreadable: 0 });
    expect(await reencrypt(loadConfig(env({ ENCRYPTION_KEY: keyB, ENCRYPTION_KEY_PREVIOUS: keyA })))).toEqual({ rewritten: 0, current: 2, unreadable: 0 });

    const d = await start({ ENCRYPTION_KEY: keyB });
    const got = await d.admin('get', settingsPath()).expect(200);
    expect(got.body.auth.tokenSet).toBe(true);
    expect(got.body.webhook.secretProblem).toBeUndefined();
    expect((await d.admin('post', `${settingsPath()}/test`).send({}).expect(200)).body.ok).toBe(true);
    expect((await postWebhook(d, key, WEBHOOK, { secret: webhookSecret })).status).toBe(202);
  });
});
