import { MigrationInterface, QueryRunner } from 'typeorm';

export class TicketCreateClaim1764950000000 implements MigrationInterface {
  name = 'TicketCreateClaim1764950000000';

  async up(q: QueryRunner): Promise<void> {
    // Who sent the last create request (the group's ticket job, or one backfill run): another creator must not
    // create again while that request may still be in flight, since Jira's search cannot show it yet.
    await q.query(`ALTER TABLE error_groups ADD COLUMN ticket_create_claim text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE error_groups DROP COLUMN ticket_create_claim');
  }
}
