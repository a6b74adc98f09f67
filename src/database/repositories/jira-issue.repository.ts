import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In } from 'typeorm';
import { JiraAssignee, JiraIssueEntity } from '@app/database/entities';
import { IssueSnapshot, JiraIssueRow } from './jira-issue.rows';

/**
 * The jira_issues rows behind error_groups.ticket_ref: what we last saw of each linked
 * issue. Statements that also write groups are GroupRepository's.
 */
@Injectable()
export class JiraIssueRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Inserts or refreshes the issue row (keyed by Jira's id, so a moved issue keeps its row). */
  async upsertSnapshot(m: EntityManager, projectId: string, s: IssueSnapshot): Promise<JiraIssueRow> {
    const rows: Array<{ id: string }> = await m.query(
      `INSERT INTO jira_issues (project_id, issue_id, issue_key, url, status, status_category)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (project_id, issue_id) DO UPDATE
         SET issue_key = EXCLUDED.issue_key, url = EXCLUDED.url,
             status = COALESCE(EXCLUDED.status, jira_issues.status),
             status_category = COALESCE(EXCLUDED.status_category, jira_issues.status_category),
             updated_at = now()
       RETURNING id`,
      [projectId, s.id, s.key, s.url, s.status ?? null, s.statusCategory ?? null],
    );
    return m.getRepository(JiraIssueEntity).findOneByOrFail({ id: rows[0].id });
  }

  findById(id: string, m: EntityManager = this.dataSource.manager): Promise<JiraIssueRow | null> {
    return m.getRepository(JiraIssueEntity).findOneBy({ id });
  }

  findByIds(m: EntityManager, ids: string[]): Promise<JiraIssueRow[]> {
    return m.getRepository(JiraIssueEntity).findBy({ id: In(ids) });
  }

  /** The project's issues that some group links to, by Jira id. */
  listLinked(projectId: string): Promise<Array<{ issue_id: string; issue_key: string }>> {
    return this.dataSource.query(
      `SELECT DISTINCT i.issue_id, i.issue_key FROM jira_issues i JOIN error_groups g ON g.ticket_ref = i.id WHERE i.project_id = $1 ORDER BY i.issue_id`,
      [projectId],
    );
  }

  /**
   * Records what was pushed to Jira (status and/or assignee; undefined: not pushed) as the base of
   * the next three-way merge, unless a Jira change was applied since `lastEventAt` was read: that
   * change's snapshot is newer than what was pushed.
   */
  async recordPushed(
    issue: Pick<JiraIssueRow, 'id' | 'lastEventAt'>,
    status: { name: string; category?: string } | undefined,
    assignee: JiraAssignee | null | undefined,
    /** Jira's time after the push: events up to it are its own echoes, read as stale from now on. */
    seenAt?: Date,
  ): Promise<void> {
    if (!status && assignee === undefined) return;
    const sets: string[] = [];
    const params: unknown[] = [issue.id, issue.lastEventAt];
    if (seenAt) {
      params.push(seenAt);
      sets.push(`last_event_at = GREATEST(last_event_at, $${params.length}::timestamptz)`);
    }
    if (status) {
      params.push(status.name, status.category ?? null);
      sets.push(`status = $${params.length - 1}`, `status_category = $${params.length}`);
    }
    if (assignee !== undefined) {
      params.push(assignee === null ? null : JSON.stringify(assignee));
      sets.push(`assignee = $${params.length}::jsonb`);
    }
    await this.dataSource.query(
      `UPDATE jira_issues SET ${sets.join(', ')}, updated_at = now() WHERE id = $1 AND last_event_at IS NOT DISTINCT FROM $2::timestamptz`,
      params,
    );
  }
}
