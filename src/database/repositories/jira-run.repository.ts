// Backfill and import runs (jira_runs) and the groups a backfill works through (jira_run_groups).
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { GroupState } from '@app/database/entities';

export type JiraRunKind = 'backfill' | 'import';
export type JiraRunStatus = 'running' | 'done' | 'cancelled' | 'failed';
export type RunGroupState = 'done' | 'failed' | 'skipped';

export interface JiraRunRow {
  id: string;
  projectId: string;
  kind: JiraRunKind;
  status: JiraRunStatus;
  params: Record<string, unknown>;
  total: number;
  done: number;
  failed: number;
  skipped: number;
  error: string | null;
  createdAt: Date;
  finishedAt: Date | null;
}

/** Which groups a backfill takes: unlinked ones with no creation under way, narrowed by these. */
export interface BackfillFilter {
  state?: GroupState;
  q?: string;
  minCount?: number;
  limit: number;
}

const COLUMNS = `id::text AS id, project_id::text AS "projectId", kind, status, params, total, done, failed, skipped, error,
  created_at AS "createdAt", finished_at AS "finishedAt"`;

const COUNTER: Record<RunGroupState, string> = { done: 'done', failed: 'failed', skipped: 'skipped' };

@Injectable()
export class JiraRunRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Inserts a running run; throws the unique violation (23505) while another runs for the project. */
  async insert(m: EntityManager, projectId: string, kind: JiraRunKind, params: object): Promise<JiraRunRow> {
    const rows: JiraRunRow[] = await m.query(
      `INSERT INTO jira_runs (project_id, kind, status, params) VALUES ($1, $2, 'running', $3::jsonb) RETURNING ${COLUMNS}`,
      [projectId, kind, JSON.stringify(params)],
    );
    return rows[0];
  }

  /**
   * Takes the matching groups for the backfill (most occurrences first), marks them pending as a "Create ticket"
   * would, and sets the run's total; answers the total.
   */
  async takeBackfillGroups(m: EntityManager, runId: string, projectId: string, f: BackfillFilter): Promise<number> {
    const args: unknown[] = [runId, projectId, f.limit];
    const where: string[] = [];
    if (f.state) where.push(`g.state = $${args.push(f.state)}`);
    if (f.minCount !== undefined) where.push(`g.count >= $${args.push(f.minCount)}`);
    if (f.q) where.push(`(g.title ILIKE $${args.push(`%${f.q.replace(/[\\%_]/g, (c) => '\\' + c)}%`)} OR g.fingerprint ILIKE $${args.length})`);
    const taken: Array<{ group_id: string }> = await m.query(
      `WITH picked AS (
         SELECT g.id FROM error_groups g
          WHERE g.project_id = $2 AND g.ticket_ref IS NULL AND g.ticket_state IS DISTINCT FROM 'pending'
                ${where.map((w) => `AND ${w}`).join(' ')}
          ORDER BY g.count DESC, g.id LIMIT $3 FOR UPDATE OF g
       ), marked AS (
         UPDATE error_groups SET ticket_state = 'pending' WHERE id IN (SELECT id FROM picked) RETURNING id
       )
       INSERT INTO jira_run_groups (run_id, group_id) SELECT $1, id FROM marked RETURNING group_id::text`,
      args,
    );
    await m.query(`UPDATE jira_runs SET total = $2 WHERE id = $1`, [runId, taken.length]);
    return taken.length;
  }

  /** Whether the project's running backfill still has the group queued (it will create the group's ticket). */
  async backfillHolds(m: EntityManager, projectId: string, groupId: string): Promise<boolean> {
    const rows: unknown[] = await m.query(
      `SELECT 1 FROM jira_runs r JOIN jira_run_groups rg ON rg.run_id = r.id AND rg.group_id = $2
        WHERE r.project_id = $1 AND r.status = 'running' AND r.kind = 'backfill' AND rg.state = 'queued'`,
      [projectId, groupId],
    );
    return rows.length > 0;
  }

  async find(projectId: string, id: string, kind: JiraRunKind, m: EntityManager = this.dataSource.manager): Promise<JiraRunRow | null> {
    if (!/^\d{1,18}$/.test(id)) return null;
    const rows: JiraRunRow[] = await m.query(`SELECT ${COLUMNS} FROM jira_runs WHERE id = $1 AND project_id = $2 AND kind = $3`, [id, projectId, kind]);
    return rows[0] ?? null;
  }

  async findById(id: string, m: EntityManager = this.dataSource.manager): Promise<JiraRunRow | null> {
    const rows: JiraRunRow[] = await m.query(`SELECT ${COLUMNS} FROM jira_runs WHERE id = $1`, [id]);
    return rows[0] ?? null;
  }

  /** The project's latest run of a kind (the running one, else the last), for the UI. */
  async latest(projectId: string, kind: JiraRunKind): Promise<JiraRunRow | null> {
    const rows: JiraRunRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM jira_runs WHERE project_id = $1 AND kind = $2 ORDER BY (status = 'running') DESC, id DESC LIMIT 1`,
      [projectId, kind],
    );
    return rows[0] ?? null;
  }

  /** The next group ids still queued in the backfill, in id order. */
  async queuedGroupIds(runId: string, limit: number): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.dataSource.query(
      `SELECT group_id::text AS id FROM jira_run_groups WHERE run_id = $1 AND state = 'queued' ORDER BY group_id LIMIT $2`,
      [runId, limit],
    );
    return rows.map((r) => r.id);
  }

  /** Settles queued groups of the backfill and counts them. */
  async settleGroups(m: EntityManager, runId: string, groupIds: string[], state: RunGroupState): Promise<void> {
    if (groupIds.length === 0) return;
    // A group already settled is not counted twice.
    await m.query(
      `WITH settled AS (
         UPDATE jira_run_groups SET state = $3 WHERE run_id = $1 AND group_id = ANY($2::bigint[]) AND state = 'queued' RETURNING 1
       )
       UPDATE jira_runs SET ${COUNTER[state]} = ${COUNTER[state]} + (SELECT count(*) FROM settled) WHERE id = $1`,
      [runId, groupIds, state],
    );
  }

  /** Adds to an import's counters (an import has no group list: it learns its total page by page). */
  async addCounts(m: EntityManager, runId: string, c: { total?: number; done?: number; failed?: number; skipped?: number }): Promise<void> {
    await m.query(
      `UPDATE jira_runs SET total = total + $2, done = done + $3, failed = failed + $4, skipped = skipped + $5 WHERE id = $1`,
      [runId, c.total ?? 0, c.done ?? 0, c.failed ?? 0, c.skipped ?? 0],
    );
  }

  /** Zeroes an import's counters: a retried import reads its JQL again from the first page. */
  async resetCounts(runId: string): Promise<void> {
    await this.dataSource.query(`UPDATE jira_runs SET total = 0, done = 0, failed = 0, skipped = 0 WHERE id = $1 AND status = 'running'`, [runId]);
  }

  /** Notes a group an import linked, so a retried import counts it as its own link again. */
  async noteGroup(m: EntityManager, runId: string, groupId: string): Promise<void> {
    await m.query(`INSERT INTO jira_run_groups (run_id, group_id, state) VALUES ($1, $2, 'done') ON CONFLICT DO NOTHING`, [runId, groupId]);
  }

  async hasGroup(m: EntityManager, runId: string, groupId: string): Promise<boolean> {
    const rows: unknown[] = await m.query(`SELECT 1 FROM jira_run_groups WHERE run_id = $1 AND group_id = $2`, [runId, groupId]);
    return rows.length > 0;
  }

  /** Ends a running run; false when it had already ended (cancelled meanwhile, say). */
  async finish(m: EntityManager, runId: string, status: Exclude<JiraRunStatus, 'running'>, error: string | null = null): Promise<boolean> {
    const rows: Array<{ n: number }> = await m.query(
      `WITH ended AS (UPDATE jira_runs SET status = $2, error = $3, finished_at = now() WHERE id = $1 AND status = 'running' RETURNING 1)
       SELECT count(*)::int AS n FROM ended`,
      [runId, status, error],
    );
    return rows[0].n > 0;
  }

  /** The groups a backfill left queued (cancelled, failed) no longer wait for a ticket. */
  async releaseQueued(m: EntityManager, runId: string): Promise<void> {
    await m.query(
      `UPDATE error_groups g SET ticket_state = NULL FROM jira_run_groups r
        WHERE r.run_id = $1 AND r.state = 'queued' AND g.id = r.group_id AND g.ticket_ref IS NULL AND g.ticket_state = 'pending'`,
      [runId],
    );
  }
}
