import { JiraIssueEntity } from '@app/database/entities';

/** A row of jira_issues: what we last saw of a linked Jira issue. Statements that read fewer columns return a Pick of it. */
export type JiraIssueRow = JiraIssueEntity;

/** An issue as locked for applying Jira changes to it (GroupQueryRepository.lockIssuesWithGroups). */
export type LockedIssue = Pick<JiraIssueRow, 'id' | 'issueId' | 'issueKey' | 'url' | 'status' | 'statusCategory' | 'assignee' | 'fixVersions' | 'lastEventAt'> & {
  /** When the issue was first linked here (its row's creation): the time of the snapshot an unsynced issue is merged against. */
  linkedAt: Date | null;
};

/** What Jira told us of an issue when it was linked or created: the fields an upsert writes. */
export interface IssueSnapshot {
  id: string;
  key: string;
  url: string;
  status?: string | null;
  statusCategory?: string | null;
}

/** The linked issue as a group response shows it. */
export interface TicketView {
  key: string;
  id: string;
  url: string;
  status: string | null;
  statusCategory: string | null;
  /** The route the issue was created through (settings.routes, or 'default'); null: linked by hand, or created before routes. */
  route: string | null;
}
