import { MigrationInterface, QueryRunner } from 'typeorm';

export class GroupComments1764900000000 implements MigrationInterface {
  name = 'GroupComments1764900000000';

  async up(q: QueryRunner): Promise<void> {
    // A group's comments: Jira's (one row per group linked to the issue) and notes added here.
    // jira_updated_at: the Jira `updated` of the version held, so an older delivery never overwrites a newer one.
    // deleted_at: a comment Jira deleted stays as a tombstone, so a late create or edit cannot bring it back.
    // marker: a local note's token, carried by its Jira copy, so the copy is known before its id is stored.
    await q.query(`
      CREATE TABLE group_comments (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        project_id bigint NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        group_id bigint NOT NULL REFERENCES error_groups(id) ON DELETE CASCADE,
        source text NOT NULL CHECK (source IN ('jira', 'local')),
        author text NOT NULL,
        body text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        jira_comment_id text,
        jira_updated_at timestamptz,
        deleted_at timestamptz,
        marker text UNIQUE,
        UNIQUE (group_id, jira_comment_id)
      )`);
    await q.query(`CREATE INDEX group_comments_group_created ON group_comments (group_id, created_at, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE group_comments');
  }
}
