import { MigrationInterface, QueryRunner } from 'typeorm';

export class JiraCredentialsHealth1764820000000 implements MigrationInterface {
  name = 'JiraCredentialsHealth1764820000000';

  async up(q: QueryRunner): Promise<void> {
    // Jira refused the stored token (401): since when and what it said, until a new token or a probe clears it.
    // site_url: the site's own address (serverInfo.baseUrl), for browse links when the API is reached elsewhere
    // (a scoped token goes through api.atlassian.com/ex/jira/{cloudId}).
    await q.query(`
      ALTER TABLE jira_integrations
        ADD COLUMN credentials_failing_since timestamptz,
        ADD COLUMN credentials_message text,
        ADD COLUMN site_url text`);
    // A job waiting for its cause to clear (e.g. 'jira-credentials'): pending, not counted as an attempt, woken early.
    await q.query(`ALTER TABLE outbox ADD COLUMN waiting_for varchar(32)`);
    await q.query(`CREATE INDEX outbox_waiting ON outbox (project_id, waiting_for) WHERE waiting_for IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX outbox_waiting');
    await q.query('ALTER TABLE outbox DROP COLUMN waiting_for');
    await q.query('ALTER TABLE jira_integrations DROP COLUMN credentials_failing_since, DROP COLUMN credentials_message, DROP COLUMN site_url');
  }
}
