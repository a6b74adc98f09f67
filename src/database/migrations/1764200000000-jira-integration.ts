import { MigrationInterface, QueryRunner } from 'typeorm';

export class JiraIntegration1764200000000 implements MigrationInterface {
  name = 'JiraIntegration1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE jira_integrations (
        project_id bigint PRIMARY KEY REFERENCES projects(id) ON DELETE CASCADE,
        api_url text NOT NULL,
        auth_type varchar(16) NOT NULL CHECK (auth_type IN ('basic', 'bearer')),
        auth_user text,
        auth_secret_enc text NOT NULL,
        webhook_secret_enc text NOT NULL,
        settings jsonb NOT NULL,
        flavour varchar(16) CHECK (flavour IN ('cloud', 'datacenter')),
        last_resync_at timestamptz,
        revision int NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE jira_issues (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        project_id bigint NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        issue_id text NOT NULL,
        issue_key text NOT NULL,
        url text NOT NULL,
        status text,
        status_category text,
        assignee jsonb,
        fix_versions jsonb NOT NULL DEFAULT '[]',
        last_event_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (project_id, issue_id)
      )`);
    await q.query(`CREATE INDEX jira_issues_project_key ON jira_issues (project_id, issue_key)`);
    await q.query(`
      ALTER TABLE error_groups
        ADD COLUMN ticket_ref bigint REFERENCES jira_issues(id) ON DELETE SET NULL,
        ADD COLUMN ticket_state varchar(16) CHECK (ticket_state IN ('pending', 'failed', 'skipped')),
        ADD COLUMN ticket_create_attempted_at timestamptz`);
    await q.query(`CREATE INDEX error_groups_ticket_ref ON error_groups (ticket_ref) WHERE ticket_ref IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE error_groups DROP COLUMN ticket_ref, DROP COLUMN ticket_state, DROP COLUMN ticket_create_attempted_at`);
    await q.query('DROP TABLE jira_issues');
    await q.query('DROP TABLE jira_integrations');
  }
}
