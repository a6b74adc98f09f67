import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** The change feed's types (`comment.added`: a Jira comment or a note, recorded once per comment and group). */
export const CHANGE_TYPES = ['group.created', 'group.state_changed', 'group.assigned', 'group.regressed', 'ticket.linked', 'ticket.unlinked', 'comment.added'] as const;
export type ChangeType = (typeof CHANGE_TYPES)[number];

/** A place in a project's feed: the commit's number and the row's id within it (rows of one commit in insert order). */
export interface FeedPosition {
  seq: string;
  id: string;
}

/** After every row of commit `seq`. */
export const endOfCommit = (seq: string): FeedPosition => ({ seq, id: '9223372036854775807' });

/** SQL expressions for a page of a project's feed (parameters, or columns of a row the page is joined to). */
export interface FeedPageSql {
  projectId: string;
  /** The position the page starts after: a commit's number and a row id, both bigint. */
  seq: string;
  id: string;
  limit: string;
  /** A text[] of the types to keep; all types when absent. */
  types?: string;
}

/**
 * A page of a project's feed as a FROM item (alias it): the changes after a position in feed order (commit number,
 * then id), at most `limit`, with group_changes' columns and the commit's `seq`. Each commit's changes come from a
 * LATERAL scan of group_changes_tx, which stops at the page's limit, so a page reads about its own rows. A plain join
 * of commits and changes let the planner hash the project's commits against every project's changes: a sequential
 * scan of group_changes, 40 ms a page at 310,000 changes against under 1 ms this way (docs/data-access.md).
 */
export const feedPageSql = (p: FeedPageSql): string => `(
  SELECT cc.seq, c.* FROM change_commits cc CROSS JOIN LATERAL (
    SELECT * FROM group_changes c
     WHERE c.tx = cc.tx AND c.project_id = cc.project_id AND (cc.seq > ${p.seq} OR c.id > ${p.id})${p.types ? ` AND c.type = ANY(${p.types})` : ''}
     ORDER BY c.id LIMIT ${p.limit}
  ) c
  WHERE cc.project_id = ${p.projectId} AND cc.seq >= ${p.seq}
  ORDER BY cc.seq, c.id LIMIT ${p.limit}
)`;

/** A row of `group_changes` as the feed serves it, with its place in the project's commit order. */
export interface GroupChangeRow {
  seq: string;
  id: string;
  groupId: string;
  fingerprint: string;
  type: ChangeType;
  changes: Record<string, unknown>;
  at: Date;
}

/**
 * The ingest upsert's `group.created` rows (a CTE over its `up` rows and `$1`, the project), and the transaction's
 * change_commits row: new groups of a batch are recorded in the upsert's own statement. Other changes are recorded
 * by the error_groups trigger, except those of a statement that writes them itself (updatedGroupChangesCtes).
 */
export const CREATED_CHANGES_CTE = `created_changes AS (
  INSERT INTO group_changes (project_id, group_id, fingerprint, type, changes)
  SELECT $1, up.id, up.fingerprint, 'group.created', jsonb_build_object('title', up.title) FROM up WHERE up.created ORDER BY up.fingerprint
),
created_commit AS (
  INSERT INTO change_commits (project_id, tx) SELECT $1, pg_current_xact_id() WHERE EXISTS (SELECT 1 FROM up WHERE up.created)
  ON CONFLICT DO NOTHING
)`;

/**
 * For a statement that updates groups and records their changes itself, set-based, in place of the error_groups
 * trigger's PL/pgSQL call per row (migration 1764980000000-cheaper-state-changes): `feed_off`, a row the statement's
 * update must join, so that the trigger skips the rows this statement updates (it names the statement's start time in
 * `crashbridge.changes_written_at`, which the statement's main query, feedOnSelect, clears again); and, after the
 * update, the changes as the trigger writes them (a state change, then an assignee change, per group) with the
 * transaction's change_commits row. `before` is a relation of (id, project_id, fingerprint, state, assignee) as the
 * statement's snapshot has them; `after` one of (id, state, assignee, resolved_until) as the update returns them.
 */
export const FEED_OFF_CTE = `feed_off AS (
  SELECT set_config('crashbridge.changes_written_at', statement_timestamp()::text, true)
)`;

/**
 * The main query of a statement that uses FEED_OFF_CTE, `after` its update: clears the mark once every row of
 * the update is written (the count reads them all, and the trigger's condition is checked as each row is written).
 * A start time alone does not tell statements apart: PGlite's clock counts milliseconds, so the transaction's next
 * statement could start in the same one, and the trigger would skip its rows.
 */
export const feedOnSelect = (after: string) =>
  `SELECT set_config('crashbridge.changes_written_at', '', true) FROM (SELECT count(*) FROM ${after}) AS written`;

export const updatedGroupChangesCtes = (before: string, after: string) => `feed AS (
  INSERT INTO group_changes (project_id, group_id, fingerprint, type, changes)
  SELECT b.project_id, b.id, b.fingerprint, c.type, c.changes
    FROM ${before} b JOIN ${after} a USING (id),
         LATERAL (VALUES
           (1, 'group.state_changed', CASE WHEN a.state IS DISTINCT FROM b.state THEN
             jsonb_build_object('state', jsonb_build_object('from', b.state, 'to', a.state), 'resolvedUntil', a.resolved_until) END),
           (2, 'group.assigned', CASE WHEN a.assignee IS DISTINCT FROM b.assignee THEN
             jsonb_build_object('assignee', jsonb_build_object('from', b.assignee, 'to', a.assignee)) END)
         ) AS c(n, type, changes)
   WHERE c.changes IS NOT NULL
   ORDER BY b.id, c.n
  RETURNING project_id
),
feed_commit AS (
  INSERT INTO change_commits (project_id, tx) SELECT DISTINCT project_id, pg_current_xact_id() FROM feed
  ON CONFLICT DO NOTHING
)`;

/** Reads of the change feed; rows are written by the ingest upsert and the database triggers on groups and comments (see the migrations). */
@Injectable()
export class GroupChangeRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * The project's changes after `after`, in commit order. Commits are numbered at commit under the project's head row,
   * so every commit numbered below the highest one visible is visible too: reading on by number skips nothing.
   */
  async listAfter(projectId: string, after: FeedPosition, limit: number): Promise<GroupChangeRow[]> {
    const rows: GroupChangeRow[] = await this.dataSource.query(
      `SELECT c.seq::text AS seq, c.id::text AS id, c.group_id::text AS "groupId", c.fingerprint, c.type, c.changes, c.at
         FROM ${feedPageSql({ projectId: '$1', seq: '$2::bigint', id: '$3::bigint', limit: '$4' })} c
        ORDER BY c.seq, c.id`,
      [projectId, after.seq, after.id, limit],
    );
    return rows.map((r) => ({ ...r, at: new Date(r.at) }));
  }

  /** The project's last numbered commit ('0' when none). */
  async head(projectId: string): Promise<string> {
    const rows: Array<{ last: string }> = await this.dataSource.query(`SELECT last_seq::text AS last FROM change_feed_heads WHERE project_id = $1`, [projectId]);
    return rows[0]?.last ?? '0';
  }
}
