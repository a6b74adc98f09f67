import { MigrationInterface, QueryRunner } from 'typeorm';

export class WebhookRejections1764700100000 implements MigrationInterface {
  name = 'WebhookRejections1764700100000';

  async up(q: QueryRunner): Promise<void> {
    // Webhook deliveries refused for a wrong secret, counted per project; the activity log keeps
    // only a sample of the latest (kind webhook.rejected), pruned through the partial index.
    await q.query(`
      CREATE TABLE webhook_rejections (
        project_id bigint PRIMARY KEY REFERENCES projects(id) ON DELETE CASCADE,
        rejected bigint NOT NULL,
        first_at timestamptz NOT NULL,
        last_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX activity_webhook_rejected ON activity (project_id, id) WHERE kind = 'webhook.rejected'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX activity_webhook_rejected');
    await q.query('DROP TABLE webhook_rejections');
  }
}
