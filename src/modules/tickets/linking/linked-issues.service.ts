import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ErrorGroupEntity } from '@app/database/entities';
import { GroupRepository } from '@app/database/repositories/group.repository';
import { IssueSnapshot, JiraIssueRow, TicketView } from '@app/database/repositories/jira-issue.rows';
import { JiraIssueRepository } from '@app/database/repositories/jira-issue.repository';
import { JiraIssue } from '@app/modules/jira/client';

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
  constructor(
    private readonly issues: JiraIssueRepository,
    private readonly groups: GroupRepository,
  ) {}

  /** Stores the issue (or refreshes its row) and links the group to it; `route`: the route it was created through, null for a link by hand. */
  async link(m: EntityManager, projectId: string, groupId: string, s: IssueSnapshot, route: string | null): Promise<JiraIssueRow> {
    const row = await this.issues.upsertSnapshot(m, projectId, s);
    await this.groups.linkIssue(m, groupId, row.id, route);
    return row;
  }

  /** The issue behind a group's ticket_ref. */
  async issueOf(m: EntityManager, issueRef: string): Promise<JiraIssueRow | undefined> {
    return (await this.issues.findByIds(m, [issueRef]))[0];
  }

  async unlink(m: EntityManager, groupId: string): Promise<void> {
    await this.groups.unlinkIssue(m, groupId);
  }

  /** Ticket views for group responses, by group id. */
  async viewsFor(m: EntityManager, groups: Array<Pick<ErrorGroupEntity, 'id' | 'ticketRef' | 'ticketRoute'>>): Promise<Map<string, TicketView>> {
    const refs = [...new Set(groups.map((g) => g.ticketRef).filter((r): r is string => !!r))];
    const out = new Map<string, TicketView>();
    if (refs.length === 0) return out;
    const issues = await this.issues.findByIds(m, refs);
    const byId = new Map(issues.map((i) => [i.id, i]));
    for (const g of groups) {
      const i = g.ticketRef ? byId.get(g.ticketRef) : undefined;
      if (i) out.set(g.id, { key: i.issueKey, id: i.issueId, url: i.url, status: i.status, statusCategory: i.statusCategory, route: g.ticketRoute ?? null });
    }
    return out;
  }
}
