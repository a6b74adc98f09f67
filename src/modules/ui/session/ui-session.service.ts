import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { generateToken, hashToken, safeEqualString } from '@app/common/crypto';
import { APP_CONFIG, AppConfig } from '@app/config/app-config';

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
    private readonly dataSource: DataSource,
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
    await this.dataSource.query(`DELETE FROM ui_sessions WHERE expires_at < now()`);
    await this.dataSource.query(
      `INSERT INTO ui_sessions (id_hash, csrf_token, admin_digest, expires_at) VALUES ($1, $2, $3, $4)`,
      [session.idHash, session.csrfToken, this.adminDigest, new Date(Date.now() + SESSION_TTL_MS)],
    );
    return { cookie, session };
  }

  /** The live session for a cookie value, or null (unknown, expired, or from another admin token). */
  async find(cookie: string | undefined): Promise<UiSession | null> {
    if (!cookie || cookie.length > 200) return null;
    const rows: Array<{ id_hash: string; csrf_token: string }> = await this.dataSource.query(
      `SELECT id_hash, csrf_token FROM ui_sessions WHERE id_hash = $1 AND admin_digest = $2 AND expires_at > now()`,
      [hashToken(cookie), this.adminDigest],
    );
    return rows[0] ? { idHash: rows[0].id_hash, csrfToken: rows[0].csrf_token } : null;
  }

  async close(session: UiSession): Promise<void> {
    await this.dataSource.query(`DELETE FROM ui_sessions WHERE id_hash = $1`, [session.idHash]);
  }
}
