// Every statement that writes error_groups. The hand-tuned ones (the ingest upsert, the merge
// write-back, the save of applied Jira changes) also write the activity entries or issue rows that
// must commit in the same statement.
import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { APP_CONFIG, AppConfig } from '@app/config/app-config';
import { ErrorGroupEntity, MAX_ATTRIBUTES, MAX_ATTRIBUTES_BYTES, MAX_VALUES_PER_ATTRIBUTE, TicketState } from '@app/database/entities';
import { pgQuery, Statement, statement } from '@app/database/pg-query';
import { decodeUpsert, hourlyOfMerged, upsertValues } from './group-upsert-rows';
import { ActivityEntry, GroupRow, LinkedGroup, LockedForMerge, ReportSum, UpsertKind, UpsertResult } from './group.rows';
import { LockedIssue } from './jira-issue.rows';
import { CREATED_CHANGES_CTE } from './group-change.repository';
import { UPSERT_UPDATE_JOBS } from './issue-update.repository';

const RULE_COLUMNS = `g.id, g.fingerprint, g.title, g.count, g.ticket_ref AS "ticketRef", g.ticket_state AS "ticketState"`;
const FULL_COLUMNS = `${RULE_COLUMNS}, g.callstack, g.classifiers, g.first_seen AS "firstSeen", g.last_seen AS "lastSeen", g.link,
  g.attributes, g.state, g.assignee, g.resolved_until AS "resolvedUntil", g.regressions, g.updated_at AS "updatedAt", g.ticket_route AS "ticketRoute"`;
/** The linked issue as a group response shows it (TicketView), or null. */
const TICKET_COLUMN = `, CASE WHEN i.id IS NULL THEN NULL ELSE json_build_object('key', i.issue_key, 'id', i.issue_id, 'url', i.url,
  'status', i.status, 'statusCategory', i.status_category, 'route', up."ticketRoute") END AS ticket`;

/**
 * The upsert: one statement for all reports of a request, one row per fingerprint,
 * taken in fingerprint order (so overlapping batches lock in the same order and do
 * not deadlock). A new group is inserted with its reports added up; an existing one
 * is updated in place under PostgreSQL's row lock (ON CONFLICT DO UPDATE), so
 * concurrent reports never lose counts: counts add; firstSeen/lastSeen take the
 * min/max; title, callstack, classifiers and link take the latest non-empty value; histograms add up value by value.
 *
 * That equals merging report by report in code as long as no attribute limit is reached. A row where one
 * could be ($4: reports too big to add up; the WHERE: stored + reported over a limit, or over the byte budget:
 * the text of both, an upper bound of the merged text, so a report costs at most the budget), and a resolved
 * group (whether a report regresses it is decided in code), is left locked but unchanged, for lockForMerge and
 * writeMerged. New groups get their `group.created` activity entry and change, the written groups their counts by hour
 * (HOURLY_CTE) and, with a ticket, their issue update jobs (UPSERT_UPDATE_JOBS), in the same statement. The final
 * SELECT always returns a row: whether the project has a Jira integration (ticket rules may apply), and the groups.
 *
 * $1 project id, $2 the sums (jsonb), $3 fingerprints whose reported title equals
 * the fingerprint (the inserted title cannot say "no title" for them), $4
 * fingerprints to merge in code; with checkToken, $5 the ingest token's hash, which
 * must still be the project's for anything to be written ("tokenOk").
 *
 * With onlyWithoutRules (a single report outside a transaction) a group is written
 * only where the ticket rules cannot apply to it: the project has no Jira
 * integration, or the group already has a ticket or a ticket state (being created,
 * skipped, failed; checked again under the row lock). Otherwise nothing is written:
 * the rules must run in the same transaction, so the caller starts one.
 */
function upsertSql(opts: { full: boolean; onlyWithoutRules: boolean; checkToken?: boolean }): string {
  const tokenOk = 'EXISTS (SELECT 1 FROM projects WHERE id = $1 AND ingest_token_hash = $5)';
  const noIntegration = 'NOT EXISTS (SELECT 1 FROM jira_integrations WHERE project_id = $1)';
  const conditions: string[] = [];
  if (opts.onlyWithoutRules) {
    conditions.push(`(${noIntegration} OR EXISTS (SELECT 1 FROM error_groups e WHERE e.project_id = $1 AND e.fingerprint = v.f
      AND (e.ticket_ref IS NOT NULL OR e.ticket_state IS NOT NULL)))`);
  }
  if (opts.checkToken) conditions.push(tokenOk);
  return `
WITH v AS (
  SELECT * FROM jsonb_to_recordset($2::jsonb)
    AS v(f text, t text, c jsonb, k jsonb, n bigint, a timestamptz, b timestamptz, l text, h jsonb, y jsonb)
),
up AS (
  INSERT INTO error_groups AS g (project_id, fingerprint, title, callstack, classifiers, count, first_seen, last_seen, link, attributes)
  SELECT $1, v.f, COALESCE(v.t, v.f), v.c, v.k, v.n, v.a, v.b, v.l, v.h FROM v
  ${conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : ''}
  ORDER BY v.f
  ON CONFLICT (project_id, fingerprint) DO UPDATE SET
    title = CASE WHEN EXCLUDED.title <> EXCLUDED.fingerprint OR EXCLUDED.fingerprint = ANY($3::text[]) THEN EXCLUDED.title ELSE g.title END,
    callstack = CASE WHEN EXCLUDED.callstack = '[]'::jsonb THEN g.callstack ELSE EXCLUDED.callstack END,
    classifiers = CASE WHEN EXCLUDED.classifiers = '[]'::jsonb THEN g.classifiers ELSE EXCLUDED.classifiers END,
    count = g.count + EXCLUDED.count,
    first_seen = LEAST(g.first_seen, EXCLUDED.first_seen),
    last_seen = GREATEST(g.last_seen, EXCLUDED.last_seen),
    link = COALESCE(EXCLUDED.link, g.link),
    attributes = CASE WHEN EXCLUDED.attributes = '{}'::jsonb THEN g.attributes ELSE g.attributes || (
      SELECT jsonb_object_agg(d.key, COALESCE(g.attributes -> d.key, '{}'::jsonb) || (
               SELECT jsonb_object_agg(e.key, COALESCE((g.attributes -> d.key -> e.key)::numeric, 0) + e.value::numeric)
                 FROM jsonb_each(d.value) e))
        FROM jsonb_each(EXCLUDED.attributes) d) END,
    updated_at = now()
  WHERE NOT EXCLUDED.fingerprint = ANY($4::text[]) AND g.state <> 'resolved'
    AND (EXCLUDED.attributes = '{}'::jsonb OR (
      (SELECT count(*) FROM jsonb_object_keys(g.attributes))
        + (SELECT count(*) FROM jsonb_object_keys(EXCLUDED.attributes) k WHERE NOT g.attributes ? k) <= ${MAX_ATTRIBUTES}
      AND NOT EXISTS (
        SELECT 1 FROM jsonb_each(EXCLUDED.attributes) d
         WHERE (SELECT count(*) FROM jsonb_object_keys(COALESCE(g.attributes -> d.key, '{}'::jsonb)))
             + (SELECT count(*) FROM jsonb_object_keys(d.value) k WHERE NOT COALESCE(g.attributes -> d.key, '{}'::jsonb) ? k)
             > ${MAX_VALUES_PER_ATTRIBUTE})))
    AND octet_length(g.attributes::text) + octet_length(EXCLUDED.attributes::text) <= ${MAX_ATTRIBUTES_BYTES}
    ${opts.onlyWithoutRules ? `AND (g.ticket_ref IS NOT NULL OR g.ticket_state IS NOT NULL OR ${noIntegration})` : ''}
  RETURNING ${opts.full ? FULL_COLUMNS : RULE_COLUMNS}, (g.xmax = 0) AS created
),
activity AS (
  INSERT INTO activity (project_id, fingerprint, kind, source, detail)
  SELECT $1, up.fingerprint, 'group.created', 'ingest', 'New group: ' || up.title FROM up WHERE up.created
), ${CREATED_CHANGES_CTE},
${HOURLY_CTE},
${UPSERT_UPDATE_JOBS}
${
  opts.full
    ? `SELECT f.has_integration AS "hasIntegration", ${opts.checkToken ? tokenOk : 'true'} AS "tokenOk", up.*${TICKET_COLUMN}
  FROM (SELECT EXISTS (SELECT 1 FROM jira_integrations WHERE project_id = $1) AS has_integration) f
  LEFT JOIN up ON true
  LEFT JOIN jira_issues i ON i.id = up."ticketRef"`
    : // One row with the groups as JSON: much cheaper for the driver than 1,000 rows.
      `SELECT EXISTS (SELECT 1 FROM jira_integrations WHERE project_id = $1) AS "hasIntegration",
       (SELECT json_agg(json_build_array(up.id::text, up.fingerprint, up.count, up."ticketRef"::text, up."ticketState", up.created)) FROM up)::text AS groups`
}`;
}

// The written groups' counts by hour (v.y, {hour: count}): only for groups the upsert holds the row lock of, so
// concurrent reports of a group add up one after the other, and needing no lock order of their own (two statements
// reach a group's hour rows only one after the other, having waited for the group first).
const HOURLY_CTE = `hourly AS (
  INSERT INTO group_hourly_counts AS h (group_id, hour, count)
  SELECT up.id, e.key::timestamptz, e.value::bigint FROM up JOIN v ON v.f = up.fingerprint, jsonb_each_text(v.y) e
  ON CONFLICT (group_id, hour) DO UPDATE SET count = h.count + EXCLUDED.count
)`;

const LOCK_FOR_MERGE = `SELECT ${FULL_COLUMNS}, g.resolved_at AS "resolvedAt", g.project_id AS "projectId", g.local_changed_at AS "localChangedAt" FROM error_groups g
        WHERE g.project_id = $1 AND g.fingerprint = ANY($2::text[]) ORDER BY g.fingerprint FOR UPDATE`;

/** The merged groups, and their counts by hour ($2, [{g: id, y: {hour: count}}]; the groups are locked by LOCK_FOR_MERGE). */
const WRITE_MERGED = `
WITH w AS (
  UPDATE error_groups g SET title = v.title, callstack = v.callstack, classifiers = v.classifiers, count = v.count,
              first_seen = v.first_seen, last_seen = v.last_seen, link = v.link, attributes = v.attributes,
              state = v.state, resolved_until = v.resolved_until, resolved_at = v.resolved_at, regressions = v.regressions,
              local_changed_at = v.local_changed_at, updated_at = now()
         FROM jsonb_to_recordset($1::jsonb) AS v(id bigint, title text, callstack jsonb, classifiers jsonb, count bigint,
              first_seen timestamptz, last_seen timestamptz, link text, attributes jsonb, state text,
              resolved_until jsonb, resolved_at timestamptz, regressions int, local_changed_at timestamptz)
        WHERE g.id = v.id RETURNING g.id, g.updated_at
),
hourly AS (
  INSERT INTO group_hourly_counts AS h (group_id, hour, count)
  SELECT o.g, e.key::timestamptz, e.value::bigint FROM jsonb_to_recordset($2::jsonb) AS o(g bigint, y jsonb), jsonb_each_text(o.y) e
  ON CONFLICT (group_id, hour) DO UPDATE SET count = h.count + EXCLUDED.count
)
SELECT id, updated_at FROM w`;

/** Issue snapshots, groups and activity entries (the rows ActivityService.recordMany writes) of applied Jira changes. */
const SAVE_APPLIED = `
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

/**
 * Writes of error groups: one place for every INSERT and UPDATE of the table. The
 * ingest statements are named (prepared) against a PostgreSQL server.
 */
@Injectable()
export class GroupRepository {
  private readonly upserts: Record<UpsertKind, Statement>;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    const prepared = config.databaseUrl !== undefined;
    this.upserts = {
      'single-fast': statement('crashbridge_ingest_single_fast', upsertSql({ full: true, onlyWithoutRules: true }), prepared),
      'single-fast-token': statement('crashbridge_ingest_single_fast_token', upsertSql({ full: true, onlyWithoutRules: true, checkToken: true }), prepared),
      single: statement('crashbridge_ingest_single', upsertSql({ full: true, onlyWithoutRules: false }), prepared),
      batch: statement('crashbridge_ingest_batch', upsertSql({ full: false, onlyWithoutRules: false }), prepared),
    };
  }

  /**
   * Adds a request's reports to their groups in one statement (see upsertSql; 'single-fast' and
   * 'single-fast-token' write nothing where the ticket rules may apply: a project with a Jira
   * integration and a group without a ticket). Groups it leaves to code are missing from `rows`
   * (or complex), locked.
   */
  async upsertReports(m: EntityManager, kind: UpsertKind, projectId: string, sums: ReportSum[], tokenHash?: string): Promise<UpsertResult> {
    if (sums.length === 0) return { rows: new Map(), hasIntegration: false, tokenOk: false };
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
    await m.query(SAVE_APPLIED, [
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
