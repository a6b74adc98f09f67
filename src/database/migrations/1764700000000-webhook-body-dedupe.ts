import { MigrationInterface, QueryRunner } from 'typeorm';

export class WebhookBodyDedupe1764700000000 implements MigrationInterface {
  name = 'WebhookBodyDedupe1764700000000';

  async up(q: QueryRunner): Promise<void> {
    // The delivery identifier is not signed: a signed body replayed under a fresh identifier is
    // recognised by its SHA-256 (per project; deliveries recorded before this have none).
    await q.query(`ALTER TABLE webhook_deliveries ADD COLUMN body_sha256 bytea`);
    await q.query(`CREATE UNIQUE INDEX webhook_deliveries_body ON webhook_deliveries (project_id, body_sha256)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX webhook_deliveries_body`);
    await q.query(`ALTER TABLE webhook_deliveries DROP COLUMN body_sha256`);
  }
}
