import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { pgQuery, Statement, statement } from '@app/database/pg-query';

/** A row of group_occurrences: a group's occurrences reported in the minute starting at bucketStart. */
export interface GroupOccurrenceRow {
  groupId: string;
  bucketStart: Date;
  count: number;
}

/** The longest createRules.threshold window, in minutes (7 days): buckets older than it are pruned. */
export const OCCURRENCE_WINDOW_MAX_MINUTES = 7 * 24 * 60;

/** A group waiting for its automatic ticket, and the occurrences this request adds to it. */
export interface ReportedOccurrences {
  groupId: string;
  count: number;
}

/** The members of the stored settings the ticket rules read. */
export const RULE_SETTINGS = ['enabled', 'createRules', 'fixVersionSync'];

/** What the ticket rules read after an ingest: their part of the stored settings, and the counted groups' occurrences in the window. */
export interface RuleInputs {
  /** The RULE_SETTINGS members of the integration's stored settings (those it holds); null: the project has no Jira integration. */
  settings: Record<string, unknown> | null;
  /** Occurrences within the threshold window (this request's included), by group id; empty when nothing was counted. */
  recent: Map<string, number>;
}

const RETENTION = `interval '${OCCURRENCE_WINDOW_MAX_MINUTES} minutes'`;

/**
 * One round trip for the ticket rules of an ingest: reads the integration's settings and, when they hold a
 * threshold that applies (integration enabled, onNewGroup, a numeric withinMinutes; what settingsWithDefaults
 * would read), adds this request's occurrences to the current minute's bucket of each group in $2 and returns
 * each group's occurrences within the window: the current minute and the withinMinutes − 1 before it (capped
 * at 7 days). Buckets past the retention are left to pruneExpired: deleting them here would cost every report.
 *
 * The window sum reads the snapshot before this statement's own insert, so it adds the request's count once.
 * Concurrent reports of a group are serialized by the group's row lock (the upsert holds it until commit), so
 * each sees the buckets the ones before it committed.
 *
 * The settings come back as the members named in $4 only: the routes and templates make the whole document
 * many times longer, and every report that may get a ticket reads it.
 *
 * $1 project id, $2 group ids, $3 the occurrences this request adds to each, $4 the settings members to return.
 */
const RULE_INPUTS = `
WITH s AS (
  SELECT settings,
         (settings->>'enabled') IS DISTINCT FROM 'false'
           AND (settings #>> '{createRules,onNewGroup}') IS DISTINCT FROM 'false'
           AND jsonb_typeof(settings #> '{createRules,threshold,withinMinutes}') = 'number' AS counts,
         make_interval(mins => LEAST(GREATEST(
           CASE WHEN jsonb_typeof(settings #> '{createRules,threshold,withinMinutes}') = 'number'
                THEN (settings #>> '{createRules,threshold,withinMinutes}')::numeric ELSE 1 END, 1), ${OCCURRENCE_WINDOW_MAX_MINUTES})::int) AS span
    FROM jira_integrations WHERE project_id = $1
),
v AS (
  SELECT v.g, v.n FROM unnest($2::bigint[], $3::bigint[]) AS v(g, n) WHERE (SELECT counts FROM s)
),
recorded AS (
  INSERT INTO group_occurrences AS o (group_id, bucket_start, count)
  SELECT v.g, date_trunc('minute', now()), v.n FROM v
  ON CONFLICT (group_id, bucket_start) DO UPDATE SET count = o.count + EXCLUDED.count
)
SELECT (SELECT jsonb_object_agg(e.key, e.value) FROM jsonb_each(s.settings) e WHERE e.key = ANY($4::text[])) AS settings,
       (SELECT json_object_agg(v.g, v.n + COALESCE((
                 SELECT sum(o.count) FROM group_occurrences o
                  WHERE o.group_id = v.g AND o.bucket_start > date_trunc('minute', now()) - s.span), 0))
          FROM v)::text AS recent
  FROM s`;

/**
 * group_occurrences: occurrence counts of groups waiting for their automatic ticket, in one-minute buckets
 * (createRules.threshold). Written by the ticket rules in the ingestion transaction, under the group's row lock.
 */
@Injectable()
export class GroupOccurrenceRepository {
  private readonly ruleInputsStatement: Statement = statement('crashbridge_rule_inputs', RULE_INPUTS);

  /** The rules' settings and, where a threshold applies, the groups' occurrences in its window after adding this request's (RULE_INPUTS). */
  async ruleInputs(m: EntityManager, projectId: string, reported: ReportedOccurrences[]): Promise<RuleInputs> {
    const rows = await pgQuery<{ settings: Record<string, unknown>; recent: string | null }>(m, this.ruleInputsStatement, [
      projectId,
      reported.map((r) => r.groupId),
      reported.map((r) => r.count),
      RULE_SETTINGS,
    ]);
    const recent = new Map<string, number>();
    if (!rows[0]) return { settings: null, recent };
    if (rows[0].settings === null) return { settings: {}, recent };
    for (const [id, n] of Object.entries(JSON.parse(rows[0].recent ?? '{}') as Record<string, number>)) recent.set(id, Number(n));
    return { settings: rows[0].settings, recent };
  }

  /** Drops the buckets of groups that got their ticket queued: counting starts afresh should they lose it. */
  async forget(m: EntityManager, groupIds: string[]): Promise<void> {
    if (groupIds.length === 0) return;
    await m.query(`DELETE FROM group_occurrences WHERE group_id = ANY($1::bigint[])`, [groupIds]);
  }

  /**
   * Deletes up to `limit` buckets past the retention (OCCURRENCE_WINDOW_MAX_MINUTES), oldest first, of any group;
   * rows another transaction holds are left for the next sweep. Returns how many were deleted.
   */
  async pruneExpired(m: EntityManager, limit: number): Promise<number> {
    const rows = await pgQuery<unknown>(
      m,
      {
        text: `DELETE FROM group_occurrences o
        USING (SELECT group_id, bucket_start FROM group_occurrences WHERE bucket_start < now() - ${RETENTION}
                ORDER BY bucket_start LIMIT $1 FOR UPDATE SKIP LOCKED) x
        WHERE o.group_id = x.group_id AND o.bucket_start = x.bucket_start
       RETURNING 1`,
      },
      [limit],
    );
    return rows.length;
  }
}
