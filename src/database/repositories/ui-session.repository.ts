import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** A row of `ui_sessions`: a settings-UI session, keyed by the sha256 of its cookie. */
export interface UiSessionRow {
  id_hash: string;
  csrf_token: string;
  /** sha256 of the admin token it was opened with: a new admin token ends every session. */
  admin_digest: string;
  created_at: Date;
  expires_at: Date;
}

export type NewUiSessionRow = Pick<UiSessionRow, 'id_hash' | 'csrf_token' | 'admin_digest' | 'expires_at'>;

@Injectable()
export class UiSessionRepository {
  constructor(private readonly dataSource: DataSource) {}

  async deleteExpired(): Promise<void> {
    await this.dataSource.query(`DELETE FROM ui_sessions WHERE expires_at < now()`);
  }

  async insert(s: NewUiSessionRow): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO ui_sessions (id_hash, csrf_token, admin_digest, expires_at) VALUES ($1, $2, $3, $4)`,
      [s.id_hash, s.csrf_token, s.admin_digest, s.expires_at],
    );
  }

  /** The session with this cookie digest, if opened with this admin token and not expired. */
  async findValid(idHash: string, adminDigest: string): Promise<Pick<UiSessionRow, 'id_hash' | 'csrf_token'> | undefined> {
    const rows: Array<Pick<UiSessionRow, 'id_hash' | 'csrf_token'>> = await this.dataSource.query(
      `SELECT id_hash, csrf_token FROM ui_sessions WHERE id_hash = $1 AND admin_digest = $2 AND expires_at > now()`,
      [idHash, adminDigest],
    );
    return rows[0];
  }

  async delete(idHash: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM ui_sessions WHERE id_hash = $1`, [idHash]);
  }
}
