import { MigrationInterface, QueryRunner } from 'typeorm';

export class UiSessions1764500000000 implements MigrationInterface {
  name = 'UiSessions1764500000000';

  async up(q: QueryRunner): Promise<void> {
    // Settings UI sign-ins. Only the sha256 of the cookie value is stored; admin_digest ties a
    // session to the admin token it was opened with, so changing ADMIN_TOKEN ends every session.
    await q.query(`
      CREATE TABLE ui_sessions (
        id_hash text PRIMARY KEY,
        csrf_token text NOT NULL,
        admin_digest text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX ui_sessions_expires_at ON ui_sessions (expires_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE ui_sessions');
  }
}
