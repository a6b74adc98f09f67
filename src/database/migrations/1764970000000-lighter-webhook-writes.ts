import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Fewer writes per accepted webhook (npm run bench, webhooks), as the batch-ingest migration did for new groups:
 * - The foreign keys of `webhook_deliveries` and `webhook_events` become part of the projects' delete trigger.
 *   Their checks ran once per inserted row, a look-up and lock of the project row: 11 µs of the intake
 *   statement's 74 per delivery (a delivery is one row in each table). Only the intake statement inserts these
 *   rows, and it now locks the project row once (`FOR KEY SHARE`, what each check took) and writes nothing when
 *   the project is gone: a delete of the project waits for an intake under way, then its trigger deletes what
 *   the intake wrote; an intake that comes after finds no project.
 * - The time indexes that only the pruning job read (`activity_at`, `webhook_deliveries_received_at`,
 *   `webhook_events_received_at`) go: the job now walks each project's rows through the per-project indexes
 *   these tables have anyway. An applied Jira change writes one activity entry, one delivery record and one
 *   waiting event: three index entries less per webhook, and one less for every other activity entry.
 */
export class LighterWebhookWrites1764970000000 implements MigrationInterface {
  name = 'LighterWebhookWrites1764970000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE webhook_deliveries DROP CONSTRAINT webhook_deliveries_project_id_fkey`);
    await q.query(`ALTER TABLE webhook_events DROP CONSTRAINT webhook_events_project_id_fkey`);
    await q.query(`
      CREATE OR REPLACE FUNCTION delete_project_entries() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        DELETE FROM activity a USING gone p WHERE a.project_id = p.id;
        DELETE FROM group_changes c USING gone p WHERE c.project_id = p.id;
        DELETE FROM webhook_deliveries d USING gone p WHERE d.project_id = p.id;
        DELETE FROM webhook_events e USING gone p WHERE e.project_id = p.id;
        RETURN NULL;
      END $$`);
    await q.query(`DROP INDEX activity_at`);
    await q.query(`DROP INDEX webhook_deliveries_received_at`);
    await q.query(`DROP INDEX webhook_events_received_at`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX webhook_events_received_at ON webhook_events (received_at)`);
    await q.query(`CREATE INDEX webhook_deliveries_received_at ON webhook_deliveries (received_at)`);
    await q.query(`CREATE INDEX activity_at ON activity (at)`);
    await q.query(`
      CREATE OR REPLACE FUNCTION delete_project_entries() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        DELETE FROM activity a USING gone p WHERE a.project_id = p.id;
        DELETE FROM group_changes c USING gone p WHERE c.project_id = p.id;
        RETURN NULL;
      END $$`);
    await q.query(`DELETE FROM webhook_events e WHERE NOT EXISTS (SELECT 1 FROM projects p WHERE p.id = e.project_id)`);
    await q.query(`DELETE FROM webhook_deliveries d WHERE NOT EXISTS (SELECT 1 FROM projects p WHERE p.id = d.project_id)`);
    await q.query(`ALTER TABLE webhook_events ADD CONSTRAINT webhook_events_project_id_fkey FOREIGN KEY (project_id) REFERENCES projects(id) ON DELETE CASCADE`);
    await q.query(`ALTER TABLE webhook_deliveries ADD CONSTRAINT webhook_deliveries_project_id_fkey FOREIGN KEY (project_id) REFERENCES projects(id) ON DELETE CASCADE`);
  }
}
