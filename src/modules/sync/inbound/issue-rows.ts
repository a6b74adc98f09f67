// The reads and writes of ApplyJiraChangeService: one statement to lock and read the
// issues and their groups, one to write them back with the activity entries. Applying a
// batch of webhook events is then a few round trips however many events and issues it
// holds (under load each round trip waits behind the intake, so their number is what
// decides how fast events apply).
import { EntityManager } from 'typeorm';
import { ErrorGroupEntity, JiraIssueEntity } from '@app/database/entities';
import { NewActivity } from '@app/modules/activity/activity.service';

/** The snapshot of a linked issue, as locked for an apply. */
export type IssueRow = Pick<JiraIssueEntity, 'id' | 'issueId' | 'issueKey' | 'url' | 'status' | 'statusCategory' | 'assignee' | 'fixVersions' | 'lastEventAt'>;
/** The fields of a group an apply reads or changes (not its attributes, which can be large). */
export type GroupRow = Pick<ErrorGroupEntity, 'id' | 'fingerprint' | 'state' | 'assignee' | 'resolvedUntil' | 'resolvedAt' | 'localChangedAt'> & { ticketRef: string };

/**
 * Issues in id order, then their groups in fingerprint order (the order ingestion locks
 * groups in), so concurrent writers wait for each other instead of deadlocking. The
 * groups' CTE reads the issues' CTE, so the issues are always locked first.
 */
const LOCK_AND_READ = `
WITH i AS (
  SELECT id, issue_id, issue_key, url, status, status_category, assignee, fix_versions, last_event_at
    FROM jira_issues WHERE project_id = $1 AND issue_id = ANY($2::text[]) ORDER BY id FOR UPDATE
),
g AS (
  SELECT id, fingerprint, state, assignee, resolved_until, resolved_at, local_changed_at, ticket_ref
    FROM error_groups WHERE ticket_ref IN (SELECT id FROM i) ORDER BY fingerprint, id FOR UPDATE
)
SELECT
  (SELECT COALESCE(json_agg(json_build_object('id', id::text, 'issueId', issue_id, 'issueKey', issue_key, 'url', url, 'status', status,
     'statusCategory', status_category, 'assignee', assignee, 'fixVersions', fix_versions, 'lastEventAt', last_event_at) ORDER BY id), '[]') FROM i) AS issues,
  (SELECT COALESCE(json_agg(json_build_object('id', id::text, 'fingerprint', fingerprint, 'state', state, 'assignee', assignee,
     'resolvedUntil', resolved_until, 'resolvedAt', resolved_at, 'localChangedAt', local_changed_at, 'ticketRef', ticket_ref::text)
     ORDER BY fingerprint, id), '[]') FROM g) AS groups`;

const date = (v: unknown): Date | null => (v === null || v === undefined ? null : new Date(v as string));

/** Locks and reads the project's linked issues among `issueIds`, and all their groups. */
export async function lockIssues(m: EntityManager, projectId: string, issueIds: string[]): Promise<{ issues: IssueRow[]; groups: GroupRow[] }> {
  const [row]: Array<{ issues: IssueRow[]; groups: GroupRow[] }> = await m.query(LOCK_AND_READ, [projectId, issueIds]);
  for (const i of row.issues) i.lastEventAt = date(i.lastEventAt);
  for (const g of row.groups) {
    g.resolvedAt = date(g.resolvedAt);
    g.localChangedAt = date(g.localChangedAt);
  }
  return row;
}

/** Writes issue snapshots, groups and activity entries (the rows ActivityService.recordMany writes) in one statement. */
const SAVE = `
WITH issues AS (
  UPDATE jira_issues i SET issue_key = v.issue_key, url = v.url, status = v.status, status_category = v.status_category,
         assignee = v.assignee, fix_versions = v.fix_versions, last_event_at = v.last_event_at, updated_at = now()
    FROM jsonb_to_recordset($1::jsonb) AS v(id bigint, issue_key text, url text, status text, status_category text,
         assignee jsonb, fix_versions jsonb, last_event_at timestamptz)
   WHERE i.id = v.id
),
groups AS (
  UPDATE error_groups g SET state = v.state, assignee = v.assignee, resolved_until = v.resolved_until, resolved_at = v.resolved_at, updated_at = now()
    FROM jsonb_to_recordset($2::jsonb) AS v(id bigint, state text, assignee text, resolved_until jsonb, resolved_at timestamptz)
   WHERE g.id = v.id
)
INSERT INTO activity (project_id, fingerprint, kind, source, detail, data)
SELECT r.project_id, r.fingerprint, r.kind, r.source, r.detail, r.data
  FROM jsonb_to_recordset($3::jsonb) AS r(project_id bigint, fingerprint text, kind text, source text, detail text, data jsonb)`;

export async function saveIssues(m: EntityManager, issues: IssueRow[], groups: GroupRow[], log: NewActivity[]): Promise<void> {
  if (issues.length === 0 && groups.length === 0 && log.length === 0) return;
  await m.query(SAVE, [
    JSON.stringify(
      issues.map((i) => ({
        id: i.id, issue_key: i.issueKey, url: i.url, status: i.status, status_category: i.statusCategory,
        assignee: i.assignee, fix_versions: i.fixVersions, last_event_at: i.lastEventAt,
      })),
    ),
    JSON.stringify(groups.map((g) => ({ id: g.id, state: g.state, assignee: g.assignee, resolved_until: g.resolvedUntil, resolved_at: g.resolvedAt }))),
    JSON.stringify(
      log.map((e) => ({ project_id: e.projectId, fingerprint: e.fingerprint ?? null, kind: e.kind, source: e.source, detail: e.detail, data: e.data ?? null })),
    ),
  ]);
}

/** Unlinks deleted issues from their groups and removes them (after saveIssues, which may have changed those groups). */
export async function removeIssues(m: EntityManager, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await m.query(`UPDATE error_groups SET ticket_ref = NULL, ticket_state = NULL WHERE ticket_ref = ANY($1::bigint[])`, [ids]);
  await m.query(`DELETE FROM jira_issues WHERE id = ANY($1::bigint[])`, [ids]);
}
