import { Inject, Injectable } from '@nestjs/common';
import { createHmac, hkdfSync } from 'crypto';
import { generateToken, hashToken, safeEqualHex } from '@app/common/crypto';
import { APP_CONFIG, AppConfig } from '@app/config/app-config';
import { UiSessionRepository } from '@app/database/repositories/ui-session.repository';

/** A signed-in UI session: its CSRF token goes into every form. */
export interface UiSession {
  idHash: string;
  csrfToken: string;
}

export const SESSION_COOKIE = 'cb_session';
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

/**
 * Server-side sessions for the settings UI. The cookie holds a random token; the
 * database holds its sha256, so a leaked table cannot be replayed as cookies, and
 * sign-out really ends the session on every API process.
 *
 * Each row's admin_digest is an HMAC, under a key derived from ENCRYPTION_KEY, of the
 * session id and the admin token: the table reveals nothing to guess the admin token
 * from, a row cannot be forged or copied to another session id without the key, and
 * changing the admin token or ENCRYPTION_KEY signs every session out.
 */
@Injectable()
export class UiSessionService {
  private readonly digestKey: Buffer;
  private readonly adminToken: string;
  /** The admin token's own keyed digest, for comparing a typed token in constant time. */
  private readonly adminTokenDigest: string;

  constructor(
    private readonly sessions: UiSessionRepository,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.digestKey = Buffer.from(hkdfSync('sha256', config.encryptionKey, Buffer.alloc(0), 'crashbridge admin digest', 32));
    this.adminToken = config.adminToken;
    this.adminTokenDigest = this.digest(config.adminToken);
  }

  /** True when `token` is the admin token (compared in constant time over keyed digests). */
  isAdminToken(token: string): boolean {
    return safeEqualHex(this.digest(token), this.adminTokenDigest);
  }

  /** HMAC of a session id (empty: none) and a token, under the server-side key. */
  private digest(token: string, idHash = ''): string {
    return createHmac('sha256', this.digestKey).update(`${idHash}\n`).update(token, 'utf8').digest('hex');
  }

  /** Opens a session; returns the cookie value (shown to nobody but the browser). */
  async open(): Promise<{ cookie: string; session: UiSession }> {
    const cookie = generateToken('cbs_');
    const session = { idHash: hashToken(cookie), csrfToken: generateToken('') };
    await this.sessions.deleteExpired();
    await this.sessions.insert({ id_hash: session.idHash, csrf_token: session.csrfToken, admin_digest: this.digest(this.adminToken, session.idHash), expires_at: new Date(Date.now() + SESSION_TTL_MS) });
    return { cookie, session };
  }

  /** The live session for a cookie value, or null (unknown, expired, or from another admin token). */
  async find(cookie: string | undefined): Promise<UiSession | null> {
    if (!cookie || cookie.length > 200) return null;
    const idHash = hashToken(cookie);
    const row = await this.sessions.findValid(idHash, this.digest(this.adminToken, idHash));
    return row ? { idHash: row.id_hash, csrfToken: row.csrf_token } : null;
  }

  async close(session: UiSession): Promise<void> {
    await this.sessions.delete(session.idHash);
  }
}
