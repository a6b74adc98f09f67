import { MigrationInterface, QueryRunner } from 'typeorm';

export class JiraWebhooks1764830000000 implements MigrationInterface {
  name = 'JiraWebhooks1764830000000';

  async up(q: QueryRunner): Promise<void> {
    // The webhook the bridge registered in Jira for an integration (null columns: none registered), and
    // how many reconciliations in a row found changes that no delivery brought (the webhook health warning).
    // It goes with its integration.
    await q.query(`
      CREATE TABLE jira_webhooks (
        project_id bigint PRIMARY KEY REFERENCES jira_integrations(project_id) ON DELETE CASCADE,
        jira_id text,
        self text,
        fingerprint text,
        registered_at timestamptz,
        unexplained_resyncs int NOT NULL DEFAULT 0,
        unexplained_since timestamptz
      )`);
    // Deliveries of the last 24 h per project, for the health figures.
    await q.query(`CREATE INDEX webhook_deliveries_project_received ON webhook_deliveries (project_id, received_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX webhook_deliveries_project_received');
    await q.query('DROP TABLE jira_webhooks');
  }
}
