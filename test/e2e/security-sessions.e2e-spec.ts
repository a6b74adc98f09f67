// Issue #19 item 4: a UI session row must not be forgeable from what the table or the admin token
// give away. admin_digest is an HMAC under a key derived from ENCRYPTION_KEY, bound to the session id.
import { createHash } from 'node:crypto';
import { generateEncryptionKey } from '@app/common/crypto';
import { signIn, uiGet } from '../support/ui-session';
import { startTestApp, TestApp } from '../support/test-app';

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

describe('UI session admin digest (#19 item 4)', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ env: { ENCRYPTION_KEY: generateEncryptionKey() } });
  });
  afterAll(async () => {
    await app?.stop();
  });

  /** A row as someone with access to the database would write it, for a cookie they chose. */
  async function plantSession(cookie: string, adminDigest: string): Promise<void> {
    await app.dataSource.query(
      `INSERT INTO ui_sessions (id_hash, csrf_token, admin_digest, expires_at) VALUES ($1, 'csrf', $2, now() + interval '1 hour')`,
      [sha256(cookie), adminDigest],
    );
  }

  it('stores no unsalted digest of the admin token, and a planted or copied row grants nothing', async () => {
    const ui = await signIn(app);
    await uiGet(app, ui, '/ui/projects').expect(200);
    const rows: Array<{ admin_digest: string }> = await app.dataSource.query(`SELECT admin_digest FROM ui_sessions`);
    expect(rows).toHaveLength(1);
    expect(rows[0].admin_digest).not.toBe(sha256(app.adminToken));

    // The digest the service used to store, and the digest of a live session copied to another id.
    await plantSession('cbs_forged-with-sha256', sha256(app.adminToken));
    await plantSession('cbs_forged-by-copying', rows[0].admin_digest);
    for (const cookie of ['cbs_forged-with-sha256', 'cbs_forged-by-copying']) {
      const res = await app.http().get('/ui/projects').set('Cookie', `cb_session=${cookie}`);
      expect(res.status).toBe(303);
      expect(res.headers.location).toMatch(/^\/ui\/sign-in/);
    }
  });

  it('a restart with another ENCRYPTION_KEY signs every session out', async () => {
    const ui = await signIn(app);
    await app.stop({ keepData: true });
    app = await startTestApp({
      reuse: { databaseUrl: app.config.databaseUrl, dataDir: app.config.dataDir, queuePrefix: app.config.queuePrefix },
      env: { ENCRYPTION_KEY: generateEncryptionKey() },
    });
    const res = await uiGet(app, ui, '/ui/projects');
    expect(res.status).toBe(303);
  });
});
