import { MigrationInterface, QueryRunner } from 'typeorm';

/** Outbound notifications: where a project's change feed is POSTed, how far it got, and every attempt. */
export class Notifications1764890100000 implements MigrationInterface {
  name = 'Notifications1764890100000';

  async up(q: QueryRunner): Promise<void> {
    // (delivered_seq, delivered_id): every change of the feed up to that place is delivered or given up (or not subscribed).
    await q.query(`
      CREATE TABLE notification_settings (
        project_id bigint PRIMARY KEY REFERENCES projects(id) ON DELETE CASCADE,
        url text NOT NULL,
        secret_enc text NOT NULL,
        events text[] NOT NULL,
        delivered_seq bigint NOT NULL DEFAULT 0,
        delivered_id bigint NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE notification_deliveries (
        id bigserial PRIMARY KEY,
        project_id bigint NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        change_id bigint NOT NULL,
        delivery_id uuid NOT NULL,
        type text NOT NULL,
        fingerprint text NOT NULL,
        outcome text NOT NULL CHECK (outcome IN ('delivered', 'failed', 'given_up')),
        http_status int,
        error text,
        at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX notification_deliveries_change ON notification_deliveries (project_id, change_id)`);
    await q.query(`CREATE INDEX notification_deliveries_project ON notification_deliveries (project_id, id)`);
    await q.query(`CREATE INDEX notification_deliveries_at ON notification_deliveries (at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE notification_deliveries');
    await q.query('DROP TABLE notification_settings');
  }
}
