// The pruning job's statements: each deletes at most $1 expired rows of one table, found oldest first
// through an index on the table's time column (activity and the webhook tables: each project's oldest, through
// their per-project index), and says how many it deleted. A statement is one short
// transaction of its own, so the row locks it takes last milliseconds, and ingestion and webhook intake
// (which only insert new rows, or touch rows far younger than the cut-off) never wait behind a run.
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { WEBHOOK_APPLY_JOB } from './webhook-event.repository';

/** The tables the pruning job deletes from (group_occurrences is pruned through GroupOccurrenceRepository). */
export type PrunedTable =
  | 'activity'
  | 'webhook_deliveries'
  | 'webhook_events'
  | 'outbox'
  | 'idempotency_keys'
  | 'ui_sessions'
  | 'sign_in_failures'
  | 'jira_runs'
  | 'group_changes'
  | 'change_commits'
  | 'notification_deliveries';

/** $2: the retention in days. */
const olderThan = (column: string) => `${column} < now() - make_interval(days => $2::int)`;

const counted = (remove: string) => `WITH removed AS (${remove} RETURNING 1) SELECT count(*)::int AS n FROM removed`;

/**
 * `key = ANY(ARRAY(subquery))`: the batch's keys are read once, then deleted through the primary key (or, for
 * tables keyed by several columns, by tuple id: a TID scan). Unlike `IN (subquery)` this plan does not depend
 * on the statistics: with stale ones the planner may join the whole table against the batch instead.
 */
const STATEMENTS: Record<PrunedTable, { text: string; takesDays: boolean }> = {
  // Project by project through activity_project_at (no index on `at` alone: an entry is written for every new group
  // and applied Jira change). The projects come from the index itself, one descent each, so the entries a deleted
  // project's late writer left behind (activity has no foreign key) are found too.
  activity: {
    takesDays: true,
    text: `WITH RECURSIVE owner AS (
        (SELECT project_id FROM activity ORDER BY project_id LIMIT 1)
        UNION ALL
        SELECT (SELECT a.project_id FROM activity a WHERE a.project_id > o.project_id ORDER BY a.project_id LIMIT 1)
          FROM owner o WHERE o.project_id IS NOT NULL
      ), removed AS (
        DELETE FROM activity WHERE id = ANY(ARRAY(
          SELECT old.id FROM owner o CROSS JOIN LATERAL (
            SELECT a.id FROM activity a WHERE a.project_id = o.project_id AND ${olderThan('a.at')} ORDER BY a.at LIMIT $1
          ) old
           WHERE o.project_id IS NOT NULL LIMIT $1))
        RETURNING 1
      ) SELECT count(*)::int AS n FROM removed`,
  },
  // Project by project through webhook_deliveries_project_received (the projects' delete trigger leaves no record
  // without its project). Each project's latest record stays (a record goes only when a newer one of its project
  // exists): the webhook's health shows when the last delivery came, however long ago. The row comparison can only
  // be an index condition of that index, so each look-up is one descent of it whatever the statistics.
  webhook_deliveries: {
    takesDays: true,
    text: counted(`DELETE FROM webhook_deliveries WHERE ctid = ANY(ARRAY(
        SELECT old.ctid FROM projects p CROSS JOIN LATERAL (
          SELECT d.ctid FROM webhook_deliveries d
           WHERE d.project_id = p.id AND ${olderThan('d.received_at')}
             AND EXISTS (SELECT 1 FROM webhook_deliveries n
                          WHERE n.project_id = d.project_id AND (n.project_id, n.received_at) > (d.project_id, d.received_at))
           ORDER BY d.received_at LIMIT $1
        ) old LIMIT $1))`),
  },
  // Events wait here until their project's apply job takes them. An old one left behind has no job coming for it
  // (none unfinished, none failed that a person could retry): the reconciliation has brought its issue up to date since.
  // Project by project, in arrival order through webhook_events_project. The job condition names only the project,
  // so it is checked once before that project's events are read (a one-time filter): a project with a backlog and
  // its job under way costs one look-up, and the events of a project with no job coming are all such leftovers.
  webhook_events: {
    takesDays: true,
    text: counted(`DELETE FROM webhook_events WHERE id = ANY(ARRAY(
        SELECT old.id FROM projects p CROSS JOIN LATERAL (
          SELECT e.id FROM webhook_events e
           WHERE e.project_id = p.id AND ${olderThan('e.received_at')}
             AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.project_id = p.id AND o.kind = '${WEBHOOK_APPLY_JOB}' AND o.status <> 'done')
           ORDER BY e.id LIMIT $1 FOR UPDATE SKIP LOCKED
        ) old LIMIT $1))`),
  },
  // Only finished rows: pending, queued, running and failed jobs are never deleted.
  outbox: {
    takesDays: true,
    text: counted(`DELETE FROM outbox WHERE status = 'done' AND id = ANY(ARRAY(
        SELECT id FROM outbox WHERE status = 'done' AND ${olderThan('finished_at')} ORDER BY finished_at LIMIT $1))`),
  },
  idempotency_keys: {
    takesDays: true,
    text: counted(`DELETE FROM idempotency_keys WHERE ctid = ANY(ARRAY(
        SELECT ctid FROM idempotency_keys WHERE ${olderThan('created_at')} ORDER BY created_at LIMIT $1))`),
  },
  ui_sessions: {
    takesDays: false,
    text: counted(`DELETE FROM ui_sessions WHERE ctid = ANY(ARRAY(SELECT ctid FROM ui_sessions WHERE expires_at < now() ORDER BY expires_at LIMIT $1))`),
  },
  // Windows that ended over a minute ago, the same rule as a sign-in attempt's own clean-up.
  sign_in_failures: {
    takesDays: false,
    text: counted(`DELETE FROM sign_in_failures WHERE ctid = ANY(ARRAY(
        SELECT ctid FROM sign_in_failures WHERE window_ends_at < now() - interval '1 minute' ORDER BY window_ends_at LIMIT $1))`),
  },
  // Ended backfills and imports (their group lists go with them); a running one is never deleted.
  jira_runs: {
    takesDays: true,
    text: counted(`DELETE FROM jira_runs WHERE id = ANY(ARRAY(
        SELECT id FROM jira_runs WHERE finished_at IS NOT NULL AND ${olderThan('finished_at')} ORDER BY finished_at LIMIT $1))`),
  },
  // The change feed: a cursor past the window still reads on from where it points (numbers are never reused).
  group_changes: {
    takesDays: true,
    text: counted(`DELETE FROM group_changes WHERE id = ANY(ARRAY(SELECT id FROM group_changes WHERE ${olderThan('at')} ORDER BY at LIMIT $1))`),
  },
  // A commit's number row goes with its changes (they are as old); the feed joins the two.
  change_commits: {
    takesDays: true,
    text: counted(`DELETE FROM change_commits WHERE ctid = ANY(ARRAY(SELECT ctid FROM change_commits WHERE ${olderThan('at')} ORDER BY at LIMIT $1))`),
  },
  notification_deliveries: {
    takesDays: true,
    text: counted(`DELETE FROM notification_deliveries WHERE id = ANY(ARRAY(SELECT id FROM notification_deliveries WHERE ${olderThan('at')} ORDER BY at LIMIT $1))`),
  },
};

/** Tables whose own repository deletes their expired rows (their window is theirs, not a setting). */
export type SelfExpiringTable = 'group_occurrences' | 'group_hourly_counts';

/** Table names as SQL identifiers (never interpolated from input). */
const VACUUMED: Record<PrunedTable | SelfExpiringTable, string> = {
  activity: 'activity',
  webhook_deliveries: 'webhook_deliveries',
  webhook_events: 'webhook_events',
  outbox: 'outbox',
  idempotency_keys: 'idempotency_keys',
  ui_sessions: 'ui_sessions',
  sign_in_failures: 'sign_in_failures',
  jira_runs: 'jira_runs',
  group_changes: 'group_changes',
  change_commits: 'change_commits',
  notification_deliveries: 'notification_deliveries',
  group_occurrences: 'group_occurrences',
  group_hourly_counts: 'group_hourly_counts',
};

/** schema.table as quote_ident writes each part: plain lower-case, or in double quotes (inner quotes doubled). */
const QUOTED_TABLE = /^(?:[a-z_][a-z0-9_$]*|"(?:[^"]|"")+")\.(?:[a-z_][a-z0-9_$]*|"(?:[^"]|"")+")$/;

/** Deletes expired rows of the tables that grow without bound, one small batch per call. */
@Injectable()
export class RetentionRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Deletes up to `limit` of the table's rows older than `days` (expired sessions and ended windows: `days` unused); returns how many. */
  async pruneBatch(table: PrunedTable, days: number, limit: number): Promise<number> {
    const { text, takesDays } = STATEMENTS[table];
    return this.dataSource.transaction(async (m) => {
      // Walk the time index in order and stop at the limit, whatever the statistics say: right after rows were
      // added or aged in bulk (and always in embedded mode, which has no autovacuum to refresh them) the planner
      // would think few rows match and sort the whole table on every batch instead.
      await m.query(`SET LOCAL enable_seqscan = off; SET LOCAL enable_bitmapscan = off; SET LOCAL enable_sort = off`);
      const rows: Array<{ n: number }> = await m.query(text, takesDays ? [limit, days] : [limit]);
      return rows[0].n;
    });
  }

  /**
   * Reclaims the space of deleted rows for new ones and refreshes the planner's statistics. Embedded PGlite has no
   * autovacuum, so without this its files would keep growing; on PostgreSQL it runs ahead of autovacuum. Plain
   * VACUUM takes no lock that writers wait for.
   */
  async vacuum(table: PrunedTable | SelfExpiringTable): Promise<void> {
    await this.dataSource.query(`VACUUM (ANALYZE) ${VACUUMED[table]}`);
  }

  /**
   * The tables autovacuum would take now, with PostgreSQL's default thresholds: VACUUM once the dead rows pass
   * 50 + 20 % of the live ones, ANALYZE once the rows changed since the last one pass 50 + 10 %. Names come
   * quoted from the catalog, ready for VACUUM (which takes no parameters).
   */
  async dueForAutovacuum(): Promise<Array<{ table: string; vacuum: boolean }>> {
    // A backend hands its row counts to the shared statistics at most once a second. Without this the last
    // second's updates would arrive after the VACUUM and be counted as dead rows it had already removed.
    await this.dataSource.query('SELECT pg_stat_force_next_flush()');
    const rows: Array<{ table: string; vacuum: boolean }> = await this.dataSource.query(
      `SELECT quote_ident(schemaname) || '.' || quote_ident(relname) AS "table",
              n_dead_tup > 50 + 0.2 * n_live_tup AS vacuum
         FROM pg_stat_user_tables
        WHERE n_dead_tup > 50 + 0.2 * n_live_tup OR n_mod_since_analyze > 50 + 0.1 * n_live_tup
        ORDER BY n_dead_tup DESC`,
    );
    return rows;
  }

  /** VACUUM (ANALYZE), or ANALYZE alone, of a table named by dueForAutovacuum. */
  async autovacuum(due: { table: string; vacuum: boolean }): Promise<void> {
    if (!QUOTED_TABLE.test(due.table)) throw new Error(`not a quoted table name: ${due.table}`);
    await this.dataSource.query(`${due.vacuum ? 'VACUUM (ANALYZE)' : 'ANALYZE'} ${due.table}`);
  }

  /** When the last pruning run finished (its outbox row, kept JOB_RETENTION_DAYS), or null if none is on record. */
  async lastRunFinishedAt(): Promise<Date | null> {
    const rows: Array<{ at: Date | null }> = await this.dataSource.query(
      `SELECT max(finished_at) AS at FROM outbox WHERE status = 'done' AND kind = 'retention.prune'`,
    );
    return rows[0]?.at ? new Date(rows[0].at) : null;
  }
}
