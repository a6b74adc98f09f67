import { MigrationInterface, QueryRunner } from 'typeorm';

export class SignInFailures1764600000000 implements MigrationInterface {
  name = 'SignInFailures1764600000000';

  async up(q: QueryRunner): Promise<void> {
    // Wrong admin tokens per client address in the current one-minute window, shared by every
    // API process (the settings UI's sign-in limit).
    await q.query(`
      CREATE TABLE sign_in_failures (
        address text PRIMARY KEY,
        failures int NOT NULL,
        window_ends_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX sign_in_failures_window_ends_at ON sign_in_failures (window_ends_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE sign_in_failures');
  }
}
