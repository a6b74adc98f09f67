import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The change feed (group_changes). Rows are written in the transaction of the change: the ingest upsert inserts
 * `group.created` itself (a CTE, no extra round trip); a trigger on error_groups records state, assignee, ticket and
 * regression changes, whichever statement makes them. A deferred trigger numbers a transaction's rows at commit, under
 * the project's row in change_feed_heads, so `seq` follows commit order (see the change-feed decision in docs).
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
        seq bigint
      )`);
    await q.query(`CREATE UNIQUE INDEX group_changes_feed ON group_changes (project_id, seq)`);
    // The commit trigger finds its transaction's rows (the only unnumbered ones it can see) through this index.
    await q.query(`CREATE INDEX group_changes_unnumbered ON group_changes (id) WHERE seq IS NULL`);
    await q.query(`CREATE INDEX group_changes_at ON group_changes (at)`);
    await q.query(`CREATE TABLE change_feed_heads (project_id bigint PRIMARY KEY REFERENCES projects(id) ON DELETE CASCADE, last_seq bigint NOT NULL)`);

    // Runs once per committing transaction (the first of its deferred row events; the rest return at once): takes
    // each project's head row in project order and numbers that project's new rows after it. The head stays locked
    // until the commit completes, so the next transaction's numbers come after this one is visible.
    await q.query(`
      CREATE FUNCTION number_group_changes() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        me text := pg_current_xact_id()::text;
        p bigint;
        n bigint;
        top bigint;
      BEGIN
        IF current_setting('crashbridge.changes_numbered', true) = me THEN RETURN NULL; END IF;
        PERFORM set_config('crashbridge.changes_numbered', me, true);
        FOR p, n IN SELECT c.project_id, count(*) FROM group_changes c WHERE c.seq IS NULL GROUP BY c.project_id ORDER BY c.project_id LOOP
          INSERT INTO change_feed_heads AS h (project_id, last_seq) VALUES (p, n)
            ON CONFLICT (project_id) DO UPDATE SET last_seq = h.last_seq + EXCLUDED.last_seq
            RETURNING h.last_seq INTO top;
          UPDATE group_changes c SET seq = top - n + r.rn
            FROM (SELECT id, row_number() OVER (ORDER BY id) AS rn FROM group_changes WHERE seq IS NULL AND project_id = p) r
           WHERE c.id = r.id;
        END LOOP;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE CONSTRAINT TRIGGER group_changes_number AFTER INSERT ON group_changes
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION number_group_changes()`);

    // The changes people, Jira and regressions make to a group, from the old and new row. A count going up is no change.
    await q.query(`
      CREATE FUNCTION record_group_changes() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        issue record;
      BEGIN
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
    await q.query('DROP TABLE group_changes');
    await q.query('DROP FUNCTION number_group_changes()');
  }
}
