import { MigrationInterface, QueryRunner } from 'typeorm';

export class OutboxWokenWhileRunning1764960000000 implements MigrationInterface {
  name = 'OutboxWokenWhileRunning1764960000000';

  async up(q: QueryRunner): Promise<void> {
    // A wake (e.g. working Jira credentials again) that came while the row's job was still running: when that job
    // then ends waiting for the same cause, it is due at once instead of sleeping through a wake it missed.
    await q.query(`ALTER TABLE outbox ADD COLUMN woken_for varchar(32)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE outbox DROP COLUMN woken_for');
  }
}
