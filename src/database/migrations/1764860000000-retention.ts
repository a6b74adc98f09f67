import { MigrationInterface, QueryRunner } from 'typeorm';

export class Retention1764860000000 implements MigrationInterface {
  name = 'Retention1764860000000';

  async up(q: QueryRunner): Promise<void> {
    // The pruning job finds each table's expired rows by age, oldest first, a batch at a time: an index on
    // the time column lets every batch start at the oldest row instead of scanning past the kept ones.
    // webhook_deliveries, idempotency_keys, ui_sessions, sign_in_failures and group_occurrences have theirs.
    await q.query(`CREATE INDEX activity_at ON activity (at)`);
    // Partial: only finished rows, the only ones pruned.
    await q.query(`CREATE INDEX outbox_done_finished_at ON outbox (finished_at) WHERE status = 'done'`);
    // Whether a project still has an apply job that will take its waiting webhook events (unfinished or failed).
    await q.query(`CREATE INDEX outbox_unsettled_project_kind ON outbox (project_id, kind) WHERE status <> 'done'`);
    await q.query(`CREATE INDEX webhook_events_received_at ON webhook_events (received_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX webhook_events_received_at');
    await q.query('DROP INDEX outbox_unsettled_project_kind');
    await q.query('DROP INDEX outbox_done_finished_at');
    await q.query('DROP INDEX activity_at');
  }
}
