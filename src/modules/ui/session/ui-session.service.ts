import { Inject, Injectable } from '@nestjs/common';
import { generateToken, hashToken, safeEqualString } from '@app/common/crypto';
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
 */
@Injectable()
export class UiSessionService {
  private readonly adminDigest: string;

  constructor(
    private readonly sessions: UiSessionRepository,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.adminDigest = hashToken(config.adminToken);
  }

  /** True when `token` is the admin token (compared in constant time over digests). */
  isAdminToken(token: string): boolean {
    return safeEqualString(hashToken(token), this.adminDigest);
  }

  /** Opens a session; returns the cookie value (shown to nobody but the browser). */
  async open(): Promise<{ cookie: string; session: UiSession }> {
    const cookie = generateToken('cbs_');
    const session = { idHash: hashToken(cookie), csrfToken: generateToken('') };
    await this.sessions.deleteExpired();
    await this.sessions.insert({ id_hash: session.idHash, csrf_token: session.csrfToken, admin_digest: this.adminDigest, expires_at: new Date(Date.now() + SESSION_TTL_MS) });
    return { cookie, session };
  }

  /** The live session for a cookie value, or null (unknown, expired, or from another admin token). */
  async find(cookie: string | undefined): Promise<UiSession | null> {
    if (!cookie || cookie.length > 200) return null;
    const row = await this.sessions.findValid(hashToken(cookie), this.adminDigest);
    return row ? { idHash: row.id_hash, csrfToken: row.csrf_token } : null;
  }

  async close(session: UiSession): Promise<void> {
    await this.sessions.delete(session.idHash);
  }
}
