// Locking linked issues and their groups before Jira changes are applied to them: shared by the statement that
// locks them alone (GroupQueryRepository.lockIssuesWithGroups) and the one that also takes the waiting webhook
// events (WebhookEventRepository.takePending), which saves the apply job a round trip per batch.
import { LinkedGroup } from './group.rows';
import { LockedIssue } from './jira-issue.rows';

/** The locked issues of a project and the groups linked to them. */
export interface LockedIssues {
  issues: LockedIssue[];
  groups: LinkedGroup[];
}

/**
 * Two CTEs, `locked_issues` and `locked_groups`, and the two result columns `issues` and `groups` that read them:
 * issues in id order, then their groups in fingerprint order (the order ingestion locks groups in), so concurrent
 * writers wait for each other instead of deadlocking. The groups' CTE reads the issues' CTE, so the issues are
 * always locked first. `project` is the project id's parameter, `issueIds` an array expression of the issue ids (Jira's) to lock.
 */
export function lockIssuesWithGroupsSql(project: string, issueIds: string): { ctes: string; columns: string } {
  const ctes = `
locked_issues AS (
  SELECT id, issue_id, issue_key, url, status, status_category, assignee, fix_versions, last_event_at, created_at
    FROM jira_issues WHERE project_id = ${project} AND issue_id = ANY(${issueIds}) ORDER BY id FOR UPDATE
),
locked_groups AS (
  SELECT id, fingerprint, state, assignee, resolved_until, resolved_at, local_changed_at, ticket_ref
    FROM error_groups WHERE ticket_ref IN (SELECT id FROM locked_issues) ORDER BY fingerprint, id FOR UPDATE
)`;
  const columns = `
  (SELECT COALESCE(json_agg(json_build_object('id', id::text, 'issueId', issue_id, 'issueKey', issue_key, 'url', url, 'status', status,
     'statusCategory', status_category, 'assignee', assignee, 'fixVersions', fix_versions, 'lastEventAt', last_event_at, 'linkedAt', created_at) ORDER BY id), '[]')
     FROM locked_issues) AS issues,
  (SELECT COALESCE(json_agg(json_build_object('id', id::text, 'fingerprint', fingerprint, 'state', state, 'assignee', assignee,
     'resolvedUntil', resolved_until, 'resolvedAt', resolved_at, 'localChangedAt', local_changed_at, 'ticketRef', ticket_ref::text)
     ORDER BY fingerprint, id), '[]') FROM locked_groups) AS groups`;
  return { ctes, columns };
}

const date = (v: unknown): Date | null => (v === null || v === undefined ? null : new Date(v as string));

/** The statement's `issues` and `groups` columns, with their times as Dates. */
export function lockedIssuesOf(row: LockedIssues): LockedIssues {
  for (const i of row.issues) {
    i.lastEventAt = date(i.lastEventAt);
    i.linkedAt = date(i.linkedAt);
  }
  for (const g of row.groups) {
    g.resolvedAt = date(g.resolvedAt);
    g.localChangedAt = date(g.localChangedAt);
  }
  return { issues: row.issues, groups: row.groups };
}
