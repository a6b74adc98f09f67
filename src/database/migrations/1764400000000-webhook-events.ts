import { MigrationInterface, QueryRunner } from 'typeorm';

export class WebhookEvents1764400000000 implements MigrationInterface {
  name = 'WebhookEvents1764400000000';

  async up(q: QueryRunner): Promise<void> {
    // Accepted webhook events not applied yet: a job of the project applies them in batches,
    // in arrival (id) order, and deletes them in the same transaction.
    await q.query(`
      CREATE TABLE webhook_events (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        project_id bigint NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        issue_id text NOT NULL,
        change jsonb NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX webhook_events_project ON webhook_events (project_id, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE webhook_events');
  }
}
