import { MigrationInterface, QueryRunner } from 'typeorm';

export class IssueUpdates1764910000000 implements MigrationInterface {
  name = 'IssueUpdates1764910000000';

  async up(q: QueryRunner): Promise<void> {
    // When the update fields (settings.updates) were last written to the issue, and what was written:
    // the next edit waits for the interval, and an edit that would change nothing is not sent.
    await q.query(`ALTER TABLE jira_issues ADD COLUMN fields_written_at timestamptz, ADD COLUMN fields_hash char(64)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE jira_issues DROP COLUMN fields_written_at, DROP COLUMN fields_hash');
  }
}
