// The ingest statements (see upsertSql) and the group rows they return.
import { AttributeHistograms, GroupState, ResolvedUntil, TicketState } from '@app/database/entities';
import { MAX_ATTRIBUTES, MAX_VALUES_PER_ATTRIBUTE } from '@app/modules/ingest-body/limits';
import { TicketView } from '@app/modules/tickets/linking/linked-issues.service';

/** A group row as the ingest statements return it (batch statements: the fields of the first block only). */
export interface GroupRow {
  id: string;
  fingerprint: string;
  title: string;
  count: number;
  ticketRef: string | null;
  ticketState: TicketState | null;
  created: boolean;
  callstack: string[];
  classifiers: string[];
  firstSeen: Date;
  lastSeen: Date;
  link: string | null;
  attributes: AttributeHistograms;
  state: GroupState;
  assignee: string | null;
  resolvedUntil: ResolvedUntil | null;
  regressions: number;
  updatedAt: Date;
  ticket?: TicketView | null;
  /** Index (among this request's reports of the group) of the report that regressed it. */
  regressedBy?: number;
}

const RULE_COLUMNS = `g.id, g.fingerprint, g.title, g.count, g.ticket_ref AS "ticketRef", g.ticket_state AS "ticketState"`;
export const FULL_COLUMNS = `${RULE_COLUMNS}, g.callstack, g.classifiers, g.first_seen AS "firstSeen", g.last_seen AS "lastSeen", g.link,
  g.attributes, g.state, g.assignee, g.resolved_until AS "resolvedUntil", g.regressions, g.updated_at AS "updatedAt"`;
/** The linked issue as GroupResponseDto shows it (LinkedIssuesService.viewsFor), or null. */
const TICKET_COLUMN = `, CASE WHEN i.id IS NULL THEN NULL ELSE json_build_object('key', i.issue_key, 'id', i.issue_id, 'url', i.url,
  'status', i.status, 'statusCategory', i.status_category) END AS ticket`;

/**
 * The upsert: one statement for all reports of a request, one row per fingerprint,
 * taken in fingerprint order (so overlapping batches lock in the same order and do
 * not deadlock). A new group is inserted with its reports added up; an existing one
 * is updated in place under PostgreSQL's row lock (ON CONFLICT DO UPDATE), so
 * concurrent reports never lose counts: counts add; firstSeen/lastSeen take the
 * min/max; title, callstack, classifiers and link take the latest non-empty value;
 * histograms add up value by value.
 *
 * That equals mergeReport() as long as no attribute limit is reached. A row where
 * one could be ($4: reports too big to add up; the WHERE: stored + reported over a
 * limit), and a resolved group (whether a report regresses it is decided in code),
 * is left locked but unchanged, for mergeInCode(). New groups get their
 * `group.created` activity entry in the same statement. The final SELECT always
 * returns a row: whether the project has a Jira integration (ticket rules may
 * apply), and the groups.
 *
 * $1 project id, $2 the deltas (jsonb), $3 fingerprints whose reported title equals
 * the fingerprint (the inserted title cannot say "no title" for them), $4
 * fingerprints to merge in code; with checkToken, $5 the ingest token's hash, which
 * must still be the project's for anything to be written ("tokenOk").
 *
 * With onlyWithoutIntegration (a single report outside a transaction) nothing is
 * written when the project has a Jira integration: the ticket rules must then run
 * in the same transaction, so the caller starts one.
 */
function upsertSql(opts: { full: boolean; onlyWithoutIntegration: boolean; checkToken?: boolean }): string {
  const tokenOk = 'EXISTS (SELECT 1 FROM projects WHERE id = $1 AND ingest_token_hash = $5)';
  const conditions: string[] = [];
  if (opts.onlyWithoutIntegration) conditions.push('NOT EXISTS (SELECT 1 FROM jira_integrations WHERE project_id = $1)');
  if (opts.checkToken) conditions.push(tokenOk);
  return `
WITH v AS (
  SELECT * FROM jsonb_to_recordset($2::jsonb)
    AS v(f text, t text, c jsonb, k jsonb, n bigint, a timestamptz, b timestamptz, l text, h jsonb)
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
  RETURNING ${opts.full ? FULL_COLUMNS : RULE_COLUMNS}, (g.xmax = 0) AS created
),
activity AS (
  INSERT INTO activity (project_id, fingerprint, kind, source, detail)
  SELECT $1, up.fingerprint, 'group.created', 'ingest', 'New group: ' || up.title FROM up WHERE up.created
)
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

export const UPSERT_SINGLE_FAST = upsertSql({ full: true, onlyWithoutIntegration: true });
export const UPSERT_SINGLE_FAST_TOKEN = upsertSql({ full: true, onlyWithoutIntegration: true, checkToken: true });
export const UPSERT_SINGLE = upsertSql({ full: true, onlyWithoutIntegration: false });
export const UPSERT_BATCH = upsertSql({ full: false, onlyWithoutIntegration: false });
