import { MigrationInterface, QueryRunner } from 'typeorm';

export class TwoWaySync1764300000000 implements MigrationInterface {
  name = 'TwoWaySync1764300000000';

  async up(q: QueryRunner): Promise<void> {
    // One row per accepted webhook delivery, so a retried or duplicated event applies once.
    await q.query(`
      CREATE TABLE webhook_deliveries (
        project_id bigint NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        dedupe_key text NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (project_id, dedupe_key)
      )`);
    await q.query(`CREATE INDEX webhook_deliveries_received_at ON webhook_deliveries (received_at)`);
    // When a person last changed state/assignee here: Jira events older than that do not override it.
    await q.query(`ALTER TABLE error_groups ADD COLUMN local_changed_at timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE error_groups DROP COLUMN local_changed_at`);
    await q.query('DROP TABLE webhook_deliveries');
  }
}
