import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `comment.added` in the change feed: a trigger on group_comments records a comment in the statement that inserts it,
 * so it is in the comment's transaction and numbered at its commit like every other change (see the change-feed
 * decision in docs). Only an insert of a live row records: a Jira comment seen again (duplicate webhook, resync) and a
 * note's Jira copy (claimed by its marker, or matched by its Jira id) update the existing row, and edits and deletes
 * are updates too, so each comment is recorded once. A delete that arrives before its create inserts a tombstone,
 * which records nothing and keeps the late create out.
 */
export class CommentChanges1764930000000 implements MigrationInterface {
  name = 'CommentChanges1764930000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION record_comment_added() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO change_commits (project_id, tx) VALUES (NEW.project_id, pg_current_xact_id()) ON CONFLICT DO NOTHING;
        INSERT INTO group_changes (project_id, group_id, fingerprint, type, changes)
          SELECT NEW.project_id, NEW.group_id, g.fingerprint, 'comment.added',
                 jsonb_build_object('comment', jsonb_build_object('id', NEW.id::text, 'source', NEW.source, 'author', NEW.author,
                   'body', NEW.body, 'createdAt', to_char(NEW.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), 'jiraCommentId', NEW.jira_comment_id))
            FROM error_groups g WHERE g.id = NEW.group_id;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER group_comments_added AFTER INSERT ON group_comments FOR EACH ROW
        WHEN (NEW.deleted_at IS NULL) EXECUTE FUNCTION record_comment_added()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TRIGGER group_comments_added ON group_comments');
    await q.query('DROP FUNCTION record_comment_added()');
  }
}
