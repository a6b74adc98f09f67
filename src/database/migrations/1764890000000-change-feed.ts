import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The change feed (group_changes). Rows are written in the transaction of the change: the ingest upsert inserts
 * `group.created` itself (a CTE, no extra round trip); a trigger on error_groups records state, assignee, ticket and
 * regression changes, whichever statement makes them. Each writing transaction also inserts its change_commits row, which
 * a deferred trigger numbers at commit under the project's row in change_feed_heads, so the numbers follow commit order
 * (see the change-feed decision in docs). The feed is read by (commit number, row id).
 */
export class ChangeFeed1764890000000 implements MigrationInterface {
  name = 'ChangeFeed1764890000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE group_changes (
        id bigserial PRIMARY KEY,
        project_id bigint NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        group_id bigint NOT NULL,
        fingerprint text NOT NULL,
        type text NOT NULL,
        changes jsonb NOT NULL,
        at timestamptz NOT NULL DEFAULT now(),
        tx xid8 NOT NULL DEFAULT pg_current_xact_id()
      )`);
    await q.query(`CREATE INDEX group_changes_tx ON group_changes (tx, id)`);
    await q.query(`CREATE INDEX group_changes_at ON group_changes (at)`);
    // One row per project and transaction with changes: `seq` is the transaction's place in the project's commit order.
    await q.query(`
      CREATE TABLE change_commits (
        project_id bigint NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        tx xid8 NOT NULL,
        seq bigint,
        at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (project_id, tx)
      )`);
    await q.query(`CREATE UNIQUE INDEX change_commits_feed ON change_commits (project_id, seq)`);
    await q.query(`CREATE INDEX change_commits_at ON change_commits (at)`);
    await q.query(`CREATE TABLE change_feed_heads (project_id bigint PRIMARY KEY REFERENCES projects(id) ON DELETE CASCADE, last_seq bigint NOT NULL)`);

    // Runs when the transaction commits, once per project it changed: takes the project's head row and gives the
    // transaction the next number. The head stays locked until the commit has completed, so the next transaction's
    // number comes after this one is visible.
    await q.query(`
      CREATE FUNCTION number_change_commit() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        top bigint;
      BEGIN
        INSERT INTO change_feed_heads AS h (project_id, last_seq) VALUES (NEW.project_id, 1)
          ON CONFLICT (project_id) DO UPDATE SET last_seq = h.last_seq + 1
          RETURNING h.last_seq INTO top;
        UPDATE change_commits SET seq = top WHERE project_id = NEW.project_id AND tx = NEW.tx;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE CONSTRAINT TRIGGER change_commits_number AFTER INSERT ON change_commits
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION number_change_commit()`);

    // The changes people, Jira and regressions make to a group, from the old and new row. A count going up is no change.
    await q.query(`
      CREATE FUNCTION record_group_changes() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        issue record;
      BEGIN
        INSERT INTO change_commits (project_id, tx) VALUES (NEW.project_id, pg_current_xact_id()) ON CONFLICT DO NOTHING;
        IF NEW.regressions IS DISTINCT FROM OLD.regressions THEN
          INSERT INTO group_changes (project_id, group_id, fingerprint, type, changes) VALUES (NEW.project_id, NEW.id, NEW.fingerprint, 'group.regressed',
            jsonb_build_object('state', jsonb_build_object('from', OLD.state, 'to', NEW.state), 'regressions', NEW.regressions));
        ELSIF NEW.state IS DISTINCT FROM OLD.state THEN
          INSERT INTO group_changes (project_id, group_id, fingerprint, type, changes) VALUES (NEW.project_id, NEW.id, NEW.fingerprint, 'group.state_changed',
            jsonb_build_object('state', jsonb_build_object('from', OLD.state, 'to', NEW.state), 'resolvedUntil', NEW.resolved_until));
        END IF;
        IF NEW.assignee IS DISTINCT FROM OLD.assignee THEN
          INSERT INTO group_changes (project_id, group_id, fingerprint, type, changes) VALUES (NEW.project_id, NEW.id, NEW.fingerprint, 'group.assigned',
            jsonb_build_object('assignee', jsonb_build_object('from', OLD.assignee, 'to', NEW.assignee)));
        END IF;
        IF NEW.ticket_ref IS DISTINCT FROM OLD.ticket_ref THEN
          IF OLD.ticket_ref IS NOT NULL THEN
            SELECT issue_key, url INTO issue FROM jira_issues WHERE id = OLD.ticket_ref;
            INSERT INTO group_changes (project_id, group_id, fingerprint, type, changes) VALUES (NEW.project_id, NEW.id, NEW.fingerprint, 'ticket.unlinked',
              jsonb_build_object('ticket', jsonb_build_object('key', issue.issue_key, 'url', issue.url)));
          END IF;
          IF NEW.ticket_ref IS NOT NULL THEN
            SELECT issue_key, url INTO issue FROM jira_issues WHERE id = NEW.ticket_ref;
            INSERT INTO group_changes (project_id, group_id, fingerprint, type, changes) VALUES (NEW.project_id, NEW.id, NEW.fingerprint, 'ticket.linked',
              jsonb_build_object('ticket', jsonb_build_object('key', issue.issue_key, 'url', issue.url), 'created', NEW.ticket_route IS NOT NULL));
          END IF;
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER error_groups_changes AFTER UPDATE ON error_groups FOR EACH ROW
        WHEN (OLD.state IS DISTINCT FROM NEW.state OR OLD.assignee IS DISTINCT FROM NEW.assignee
              OR OLD.ticket_ref IS DISTINCT FROM NEW.ticket_ref OR OLD.regressions IS DISTINCT FROM NEW.regressions)
        EXECUTE FUNCTION record_group_changes()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TRIGGER error_groups_changes ON error_groups');
    await q.query('DROP FUNCTION record_group_changes()');
    await q.query('DROP TABLE change_feed_heads');
    await q.query('DROP TABLE change_commits');
    await q.query('DROP TABLE group_changes');
    await q.query('DROP FUNCTION number_change_commit()');
  }
}
