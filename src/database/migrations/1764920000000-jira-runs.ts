import { MigrationInterface, QueryRunner } from 'typeorm';

export class JiraRuns1764920000000 implements MigrationInterface {
  name = 'JiraRuns1764920000000';

  async up(q: QueryRunner): Promise<void> {
    // Backfills (create the tickets of many groups) and imports (link existing issues), with their progress.
    await q.query(`
      CREATE TABLE jira_runs (
        id bigserial PRIMARY KEY,
        project_id bigint NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        kind varchar(16) NOT NULL CHECK (kind IN ('backfill', 'import')),
        status varchar(16) NOT NULL CHECK (status IN ('running', 'done', 'cancelled', 'failed')),
        params jsonb NOT NULL,
        total integer NOT NULL DEFAULT 0,
        done integer NOT NULL DEFAULT 0,
        failed integer NOT NULL DEFAULT 0,
        skipped integer NOT NULL DEFAULT 0,
        error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz
      )`);
    // One running backfill or import per project: a second start is a 409.
    await q.query(`CREATE UNIQUE INDEX jira_runs_one_running ON jira_runs (project_id) WHERE status = 'running'`);
    await q.query(`CREATE INDEX jira_runs_finished ON jira_runs (finished_at) WHERE finished_at IS NOT NULL`);
    // The groups a backfill works through, chosen when it starts.
    await q.query(`
      CREATE TABLE jira_run_groups (
        run_id bigint NOT NULL REFERENCES jira_runs(id) ON DELETE CASCADE,
        group_id bigint NOT NULL REFERENCES error_groups(id) ON DELETE CASCADE,
        state varchar(16) NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'done', 'failed', 'skipped')),
        PRIMARY KEY (run_id, group_id)
      )`);
    await q.query(`CREATE INDEX jira_run_groups_queued ON jira_run_groups (run_id, group_id) WHERE state = 'queued'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE jira_run_groups');
    await q.query('DROP TABLE jira_runs');
  }
}
