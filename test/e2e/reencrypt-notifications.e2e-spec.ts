// `npm run reencrypt` covers the notification secret: stored under key A, reported unreadable by a service with key B
// alone, rewritten under B (with A as the previous key), after which a service with B alone signs events with it.
import { generateEncryptionKey } from '@app/common/crypto';
import { loadConfig } from '@app/config/load-config';
import { reencrypt } from '@app/cli/reencrypt-command';
import { createProject, eventually, startTestApp, TestApp, TestAppOptions } from '../support/test-app';
import { signIn, uiGet } from '../support/ui-session';
import { EventReceiver, signatureOf } from '../support/notification-receiver';

const SECRET = 'rotated-receiver-secret-0042';

describe('npm run reencrypt and the notification secret', () => {
  const keyA = generateEncryptionKey();
  const keyB = generateEncryptionKey();
  let reuse: NonNullable<TestAppOptions['reuse']>;
  let receiver: EventReceiver;
  let key: string;
  let app: TestApp | undefined;

  beforeAll(async () => {
    receiver = new EventReceiver();
    await receiver.start();
    const a = await startTestApp({ env: { ENCRYPTION_KEY: keyA } });
    reuse = { databaseUrl: a.config.databaseUrl, dataDir: a.config.dataDir, queuePrefix: a.config.queuePrefix };
    key = (await createProject(a)).key;
    await a.admin('put', `/api/v1/projects/${key}/notifications`).send({ url: receiver.url, secret: SECRET, events: ['group.created'] }).expect(200);
    await a.stop({ keepData: true });
  });
  afterAll(async () => {
    await app?.stop();
    await receiver.stop();
  });

  it('under another key the secret is reported unreadable (API and page), and a PUT must bring a new one', async () => {
    const b = await startTestApp({ reuse, env: { ENCRYPTION_KEY: keyB } });
    try {
      const got = (await b.admin('get', `/api/v1/projects/${key}/notifications`).expect(200)).body;
      expect(got).toMatchObject({ secretSet: false, secretProblem: expect.stringMatching(/key this service does not have; save the settings again/) });
      const keep = await b.admin('put', `/api/v1/projects/${key}/notifications`).send({ url: receiver.url, events: ['group.created'] }).expect(400);
      expect(JSON.stringify(keep.body)).toContain('secret is required: the stored one cannot be read');
      const page = (await uiGet(b, await signIn(b), `/ui/projects/${key}/notifications`).expect(200)).text;
      expect(page).toMatch(/data-secret="unreadable">The stored secret cannot be read: encrypted under a key this service does not have/);
    } finally {
      await b.stop({ keepData: true });
    }
  });

  it('rewrites the secret under the current key, after which the old key is not needed', async () => {
    const env = (extra: Record<string, string>) => ({
      DATA_DIR: reuse.dataDir, ADMIN_TOKEN: 'test-admin-token-0123456789', ...(reuse.databaseUrl ? { DATABASE_URL: reuse.databaseUrl } : {}), ...extra,
    });
    // Without the old key the secret cannot be read, and it is left as it is.
    expect(await reencrypt(loadConfig(env({ ENCRYPTION_KEY: keyB })))).toEqual({ rewritten: 0, current: 0, unreadable: 1 });
    expect(await reencrypt(loadConfig(env({ ENCRYPTION_KEY: keyB, ENCRYPTION_KEY_PREVIOUS: keyA })))).toEqual({ rewritten: 1, current: 0, unreadable: 0 });
    expect(await reencrypt(loadConfig(env({ ENCRYPTION_KEY: keyB, ENCRYPTION_KEY_PREVIOUS: keyA })))).toEqual({ rewritten: 0, current: 1, unreadable: 0 });

    app = await startTestApp({ reuse, env: { ENCRYPTION_KEY: keyB } });
    const stored = (await app.dataSource.query(`SELECT secret_enc FROM notification_settings`))[0].secret_enc as string;
    expect(stored).not.toContain(SECRET);
    await app.admin('post', `/api/v1/projects/${key}/groups`).send({ fingerprint: 'after-rotation' }).expect(201);
    await eventually(async () => receiver.of(key).length === 1, 15_000);
    const [event] = receiver.of(key);
    expect(event.signature).toBe(signatureOf(SECRET, event.raw));
  });
});
