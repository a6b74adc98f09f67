import { MigrationInterface, QueryRunner } from 'typeorm';

export class TicketRoute1764850000000 implements MigrationInterface {
  name = 'TicketRoute1764850000000';

  async up(q: QueryRunner): Promise<void> {
    // The route (settings.routes, or 'default') a group's ticket is created through: recorded with the first create
    // attempt, so every retry goes to the same Jira project. Null: no ticket created here (none, linked by hand, or
    // an attempt from before routes, which went to the top-level project).
    await q.query(`ALTER TABLE error_groups ADD COLUMN ticket_route text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE error_groups DROP COLUMN ticket_route`);
  }
}
