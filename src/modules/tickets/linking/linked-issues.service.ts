import { Injectable } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import { ErrorGroupEntity, JiraIssueEntity } from '@app/database/entities';
import { JiraIssue } from '@app/modules/jira/client';

export interface IssueSnapshot {
  id: string;
  key: string;
  url: string;
  status?: string | null;
  statusCategory?: string | null;
}

export interface TicketView {
  key: string;
  id: string;
  url: string;
  status: string | null;
  statusCategory: string | null;
}

export function snapshotOf(issue: JiraIssue, url: string): IssueSnapshot {
  return {
    id: String(issue.id),
    key: issue.key,
    url,
    status: issue.fields?.status?.name ?? null,
    statusCategory: issue.fields?.status?.statusCategory?.key ?? null,
  };
}

/** The jira_issues rows behind group.ticket_ref, and the links between them and groups. */
@Injectable()
export class LinkedIssuesService {
  /** Inserts or refreshes the issue row (keyed by Jira's id, so a moved issue keeps its row). */
  async upsert(m: EntityManager, projectId: string, s: IssueSnapshot): Promise<JiraIssueEntity> {
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
    return (await m.getRepository(JiraIssueEntity).findOneByOrFail({ id: rows[0].id }));
  }

  async link(m: EntityManager, groupId: string, issueRef: string): Promise<void> {
    await m.query(`UPDATE error_groups SET ticket_ref = $2, ticket_state = NULL, updated_at = now() WHERE id = $1`, [groupId, issueRef]);
  }

  async unlink(m: EntityManager, groupId: string): Promise<void> {
    await m.query(`UPDATE error_groups SET ticket_ref = NULL, ticket_state = NULL, ticket_create_attempted_at = NULL, updated_at = now() WHERE id = $1`, [groupId]);
  }

  /** Ticket views for group responses, by group id. */
  async viewsFor(m: EntityManager, groups: ErrorGroupEntity[]): Promise<Map<string, TicketView>> {
    const refs = [...new Set(groups.map((g) => g.ticketRef).filter((r): r is string => !!r))];
    const out = new Map<string, TicketView>();
    if (refs.length === 0) return out;
    const issues = await m.getRepository(JiraIssueEntity).findBy({ id: In(refs) });
    const byId = new Map(issues.map((i) => [i.id, i]));
    for (const g of groups) {
      const i = g.ticketRef ? byId.get(g.ticketRef) : undefined;
      if (i) out.set(g.id, { key: i.issueKey, id: i.issueId, url: i.url, status: i.status, statusCategory: i.statusCategory });
    }
    return out;
  }
}
