// The ingest upsert's text (GroupRepository.upsertReports): one statement per request that inserts or adds to its
// groups and writes, with them, their activity entries, changes, hourly counts and issue update jobs.
import { MAX_ATTRIBUTES, MAX_ATTRIBUTES_BYTES, MAX_VALUES_PER_ATTRIBUTE } from '@app/database/entities';
import { CREATED_CHANGES_CTE } from './group-change.repository';
import { UPSERT_UPDATE_JOBS } from './issue-update.repository';
import { joinByKey } from './join-by-key';

export const RULE_COLUMNS = `g.id, g.fingerprint, g.title, g.count, g.ticket_ref AS "ticketRef", g.ticket_state AS "ticketState"`;
export const FULL_COLUMNS = `${RULE_COLUMNS}, g.callstack, g.classifiers, g.first_seen AS "firstSeen", g.last_seen AS "lastSeen", g.link,
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
export function upsertSql(opts: { full: boolean; onlyWithoutRules: boolean; checkToken?: boolean }): string {
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
p AS (SELECT id FROM projects WHERE id = $1 FOR KEY SHARE),
up AS (
  INSERT INTO error_groups AS g (project_id, fingerprint, title, callstack, classifiers, count, first_seen, last_seen, link, attributes)
  SELECT p.id, v.f, COALESCE(v.t, v.f), v.c, v.k, v.n, v.a, v.b, v.l, v.h FROM v, p
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
    AND (EXCLUDED.attributes = '{}'::jsonb OR octet_length(g.attributes::text) + octet_length(EXCLUDED.attributes::text) <= ${SMALL_HISTOGRAMS_BYTES} OR (
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
    ? `SELECT f.has_integration AS "hasIntegration", ${opts.checkToken ? tokenOk : 'true'} AS "tokenOk", ${PROJECT_OK}, up.*${TICKET_COLUMN}
  FROM (SELECT EXISTS (SELECT 1 FROM jira_integrations WHERE project_id = $1) AS has_integration) f
  LEFT JOIN up ON true
  LEFT JOIN jira_issues i ON ${joinByKey('i', 'up', '"ticketRef"')}`
    : // One row with the groups as JSON: much cheaper for the driver than 1,000 rows.
      `SELECT EXISTS (SELECT 1 FROM jira_integrations WHERE project_id = $1) AS "hasIntegration", ${PROJECT_OK},
       (SELECT json_agg(json_build_array(up.id::text, up.fingerprint, up.count, up."ticketRef"::text, up."ticketState", up.created)) FROM up)::text AS groups`
}`;
}

// The project row, locked once (FOR KEY SHARE in p, as a foreign key check would per row): a project deleted
// meanwhile waits for the statement's transaction; one deleted already means nothing is written.
const PROJECT_OK = `EXISTS (SELECT 1 FROM p) AS "projectOk"`;

// The written groups' counts by hour (v.y, {hour: count}): only for groups the upsert holds the row lock of, so
// concurrent reports of a group add up one after the other, and needing no lock order of their own (two statements
// reach a group's hour rows only one after the other, having waited for the group first).
// A group this statement created has no hour rows yet (its id is new), so its rows go in with a plain INSERT: no
// conflict check (speculative insertion) per row.
const HOURLY_CTE = `hourly_created AS (
  INSERT INTO group_hourly_counts (group_id, hour, count)
  SELECT up.id, e.key::timestamptz, e.value::bigint FROM up JOIN v ON v.f = up.fingerprint, jsonb_each_text(v.y) e WHERE up.created
),
hourly AS (
  INSERT INTO group_hourly_counts AS h (group_id, hour, count)
  SELECT up.id, e.key::timestamptz, e.value::bigint FROM up JOIN v ON v.f = up.fingerprint, jsonb_each_text(v.y) e WHERE NOT up.created
  ON CONFLICT (group_id, hour) DO UPDATE SET count = h.count + EXCLUDED.count
)`;

/**
 * Stored and reported histograms whose texts add up to at most this many bytes cannot reach an attribute limit
 * together: every value in a histogram's text takes at least 5 bytes (`"": 1`) and every attribute at least 6
 * (`"": {}`), so the two hold at most MAX_VALUES_PER_ATTRIBUTE values and fewer than MAX_ATTRIBUTES attributes in
 * all. Such rows (the usual few attributes of few values) skip counting keys, the limit check's costly part.
 */
const SMALL_HISTOGRAMS_BYTES = Math.min(5 * MAX_VALUES_PER_ATTRIBUTE, 6 * MAX_ATTRIBUTES);
