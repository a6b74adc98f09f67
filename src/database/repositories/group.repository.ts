// Every statement that writes error_groups (the ingest upsert's text is in group-upsert-sql.ts). The
// hand-tuned ones (the ingest upsert, the merge write-back, the save of applied Jira changes) also write
// the activity entries or issue rows that must commit in the same statement.
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ErrorGroupEntity, TicketState } from '@app/database/entities';
import { pgQuery, Statement, statement } from '@app/database/pg-query';
import { decodeUpsert, hourlyOfMerged, upsertValues } from './group-upsert-rows';
import { FEED_OFF_CTE, feedOnSelect, updatedGroupChangesCtes } from './group-change.repository';
import { ActivityEntry, GroupRow, LinkedGroup, LockedForMerge, ReportSum, UpsertKind, UpsertResult } from './group.rows';
import { LockedIssue } from './jira-issue.rows';
import { FULL_COLUMNS, upsertSql } from './group-upsert-sql';
import { joinByKey } from './join-by-key';

const LOCK_FOR_MERGE = `SELECT ${FULL_COLUMNS}, g.resolved_at AS "resolvedAt", g.project_id AS "projectId", g.local_changed_at AS "localChangedAt" FROM error_groups g
        WHERE g.project_id = $1 AND g.fingerprint = ANY($2::text[]) ORDER BY g.fingerprint FOR UPDATE`;

/** The merged groups, and their counts by hour ($2, [{g: id, y: {hour: count}}]; the groups are locked by LOCK_FOR_MERGE). */
const WRITE_MERGED = `
WITH v AS (
  SELECT * FROM jsonb_to_recordset($1::jsonb) AS v(id bigint, title text, callstack jsonb, classifiers jsonb, count bigint,
              first_seen timestamptz, last_seen timestamptz, link text, attributes jsonb, state text,
              resolved_until jsonb, resolved_at timestamptz, regressions int, local_changed_at timestamptz)
),
w AS (
  UPDATE error_groups g SET title = v.title, callstack = v.callstack, classifiers = v.classifiers, count = v.count,
              first_seen = v.first_seen, last_seen = v.last_seen, link = v.link, attributes = v.attributes,
              state = v.state, resolved_until = v.resolved_until, resolved_at = v.resolved_at, regressions = v.regressions,
              local_changed_at = v.local_changed_at, updated_at = now()
         FROM v
        WHERE ${joinByKey('g', 'v')} RETURNING g.id, g.updated_at
),
hourly AS (
  INSERT INTO group_hourly_counts AS h (group_id, hour, count)
  SELECT o.g, e.key::timestamptz, e.value::bigint FROM jsonb_to_recordset($2::jsonb) AS o(g bigint, y jsonb), jsonb_each_text(o.y) e
  ON CONFLICT (group_id, hour) DO UPDATE SET count = h.count + EXCLUDED.count
)
SELECT id, updated_at FROM w`;

/**
 * Issue snapshots ($1), groups ($2) and activity entries ($3, the rows ActivityService.recordMany writes) of
 * applied Jira changes. The groups' change-feed rows (group_changes, as the record_group_changes trigger would
 * write them: a state change, then an assignee change, per group) are written here, set-based, and the trigger
 * skips this statement's rows (group-change.repository.ts, updatedGroupChangesCtes), and is on again for the
 * transaction's next statement (feedOnSelect). The values before come from the statement's snapshot, which its
 * own update does not change; the rows are locked already.
 */
const SAVE_APPLIED = `
WITH iv AS (
  SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(id bigint, issue_key text, url text, status text, status_category text,
         assignee jsonb, fix_versions jsonb, last_event_at timestamptz)
),
issues AS (
  UPDATE jira_issues i SET issue_key = iv.issue_key, url = iv.url, status = iv.status, status_category = iv.status_category,
         assignee = iv.assignee, fix_versions = iv.fix_versions, last_event_at = iv.last_event_at, updated_at = now()
    FROM iv
   WHERE ${joinByKey('i', 'iv')}
),
v AS (
  SELECT * FROM jsonb_to_recordset($2::jsonb) AS v(id bigint, state text, assignee text, resolved_until jsonb, resolved_at timestamptz)
),
-- Every row the update writes joins this row, so the setting is in place before the first one.
${FEED_OFF_CTE},
before AS (
  SELECT g.id, g.project_id, g.fingerprint, g.state, g.assignee FROM error_groups g JOIN v ON ${joinByKey('g', 'v')}
),
groups AS (
  UPDATE error_groups g SET state = v.state, assignee = v.assignee, resolved_until = v.resolved_until, resolved_at = v.resolved_at, updated_at = now()
    FROM v, feed_off
   WHERE ${joinByKey('g', 'v')}
  RETURNING g.id, g.state, g.assignee, g.resolved_until
),
${updatedGroupChangesCtes('before', 'groups')},
logged AS (
  INSERT INTO activity (project_id, fingerprint, kind, source, detail, data)
  SELECT r.project_id, r.fingerprint, r.kind, r.source, r.detail, r.data
    FROM jsonb_to_recordset($3::jsonb) AS r(project_id bigint, fingerprint text, kind text, source text, detail text, data jsonb)
)
${feedOnSelect('groups')}`;

/**
 * Writes of error groups: one place for every INSERT and UPDATE of the table. The
 * ingest statements are named (prepared).
 */
@Injectable()
export class GroupRepository {
  private readonly upserts: Record<UpsertKind, Statement> = {
    'single-fast': statement('crashbridge_ingest_single_fast', upsertSql({ full: true, onlyWithoutRules: true })),
    'single-fast-token': statement('crashbridge_ingest_single_fast_token', upsertSql({ full: true, onlyWithoutRules: true, checkToken: true })),
    single: statement('crashbridge_ingest_single', upsertSql({ full: true, onlyWithoutRules: false })),
    batch: statement('crashbridge_ingest_batch', upsertSql({ full: false, onlyWithoutRules: false })),
  };
  private readonly saveApplied: Statement = statement('crashbridge_save_applied_changes', SAVE_APPLIED);

  /**
   * Adds a request's reports to their groups in one statement (see upsertSql; 'single-fast' and
   * 'single-fast-token' write nothing where the ticket rules may apply: a project with a Jira
   * integration and a group without a ticket). Groups it leaves to code are missing from `rows`
   * (or complex), locked.
   */
  async upsertReports(m: EntityManager, kind: UpsertKind, projectId: string, sums: ReportSum[], tokenHash?: string): Promise<UpsertResult> {
    if (sums.length === 0) return { rows: new Map(), hasIntegration: false, tokenOk: false, projectOk: true };
    return decodeUpsert(await pgQuery<Record<string, unknown>>(m, this.upserts[kind], upsertValues(projectId, sums, tokenHash)));
  }

  /** Whether the ingest token is still the project's (checked inside the ingest transaction). */
  async ingestTokenHolds(m: EntityManager, projectId: string, tokenHash: string): Promise<boolean> {
    const ok: unknown[] = await m.query(`SELECT 1 FROM projects WHERE id = $1 AND ingest_token_hash = $2`, [projectId, tokenHash]);
    return ok.length > 0;
  }

  /** The groups the upsert left to code, in fingerprint order (they are locked already). */
  lockForMerge(m: EntityManager, projectId: string, fingerprints: string[]): Promise<LockedForMerge[]> {
    return pgQuery<LockedForMerge>(m, { text: LOCK_FOR_MERGE }, [projectId, fingerprints]);
  }

  /** Writes back groups merged in code, with the counts by hour of the reports merged into each (`sums` by group id); returns their new updated_at by id. */
  async writeMerged(m: EntityManager, merged: LockedForMerge[], sums: Map<string, ReportSum>): Promise<Map<string, Date>> {
    const records = merged.map((g) => ({
      id: g.id, title: g.title, callstack: g.callstack, classifiers: g.classifiers, count: g.count,
      first_seen: g.firstSeen, last_seen: g.lastSeen, link: g.link, attributes: g.attributes,
      state: g.state, resolved_until: g.resolvedUntil, resolved_at: g.resolvedAt, regressions: g.regressions,
      local_changed_at: g.localChangedAt,
    }));
    const hourly = hourlyOfMerged([...sums].map(([groupId, sum]) => ({ groupId, sum })));
    const updated = await pgQuery<{ id: string; updated_at: Date }>(m, { text: WRITE_MERGED }, [JSON.stringify(records), hourly]);
    return new Map(updated.map((u) => [String(u.id), u.updated_at]));
  }

  /** Saves a person's change of state, assignee or resolved-until (the entity as loaded and changed). */
  saveChanges(m: EntityManager, g: GroupRow): Promise<GroupRow> {
    return m.getRepository(ErrorGroupEntity).save(g);
  }

  /** Stamps a person's change here, so older Jira events do not undo it. */
  async stampLocalChange(m: EntityManager, groupId: string, at: Date): Promise<void> {
    await m.query(`UPDATE error_groups SET local_changed_at = $2 WHERE id = $1`, [groupId, at]);
  }

  async setTicketState(m: EntityManager, groupIds: string[], state: TicketState): Promise<void> {
    await m.query(`UPDATE error_groups SET ticket_state = $2 WHERE id = ANY($1::bigint[])`, [groupIds, state]);
  }

  /** Failed ticket creations retried by a person: the unlinked groups show pending again. */
  async markTicketRetried(m: EntityManager, groupIds: string[]): Promise<void> {
    await m.query(`UPDATE error_groups SET ticket_state = 'pending' WHERE id = ANY($1::bigint[]) AND ticket_ref IS NULL AND ticket_state = 'failed'`, [groupIds]);
  }

  /** Links the group to an issue; `route`: the route it was created through, null for one linked by hand. */
  async linkIssue(m: EntityManager, groupId: string, issueRef: string, route: string | null): Promise<void> {
    await m.query(`UPDATE error_groups SET ticket_ref = $2, ticket_state = NULL, ticket_route = $3, updated_at = now() WHERE id = $1`, [groupId, issueRef, route]);
  }

  async unlinkIssue(m: EntityManager, groupId: string): Promise<void> {
    await m.query(
      `UPDATE error_groups SET ticket_ref = NULL, ticket_state = NULL, ticket_create_attempted_at = NULL, ticket_route = NULL, updated_at = now() WHERE id = $1`,
      [groupId],
    );
  }

  /** Writes issue snapshots, groups and activity entries of applied Jira changes in one statement (locked by GroupQueryRepository.lockIssuesWithGroups). */
  async saveAppliedChanges(m: EntityManager, issues: LockedIssue[], groups: LinkedGroup[], log: ActivityEntry[]): Promise<void> {
    if (issues.length === 0 && groups.length === 0 && log.length === 0) return;
    await pgQuery(m, this.saveApplied, [
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

  /** Unlinks deleted issues from their groups and removes them (after saveAppliedChanges, which may have changed those groups). */
  async removeIssues(m: EntityManager, issueRefs: string[]): Promise<void> {
    if (issueRefs.length === 0) return;
    // The attempt and route belonged to the deleted issue: a new ticket is decided afresh.
    await m.query(
      `UPDATE error_groups SET ticket_ref = NULL, ticket_state = NULL, ticket_create_attempted_at = NULL, ticket_route = NULL WHERE ticket_ref = ANY($1::bigint[])`,
      [issueRefs],
    );
    await m.query(`DELETE FROM jira_issues WHERE id = ANY($1::bigint[])`, [issueRefs]);
  }
}
