// Jobs that keep a linked Jira issue current (settings.updates): queued by the ingest statements in bulk,
// and the bookkeeping of the jobs themselves (when the fields were last written, and what).
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { inTransaction } from '@app/database/transaction';
import { joinByKey } from './join-by-key';

/** Outbox kinds queued here; spelled as in src/queue/job-kinds.ts. */
const FIELDS_KIND = 'jira.fields';
const MILESTONE_KIND = 'jira.milestone';

/** The outbox dedupe key of a group's field update (one unfinished update per group). */
export const fieldsJobKey = (groupId: string) => `${FIELDS_KIND}:${groupId}`;
/** The outbox dedupe key of a group's milestone comment. */
export const milestoneJobKey = (groupId: string, milestone: number) => `${MILESTONE_KIND}:${groupId}:${milestone}`;

const UNFINISHED = `ON CONFLICT (dedupe_key) WHERE dedupe_key IS NOT NULL AND status IN ('pending', 'queued', 'processing') DO NOTHING`;

/**
 * CTEs that queue the update jobs of changed groups with a ticket, for project $1. `changed` is a relation of
 * (id, ticket_ref, before, after): the group, its issue, and its count before and after this statement's reports.
 * Under the group's row lock `before` and `after` are exact, so a milestone in (before, after] is crossed by this
 * statement and no other: its job is queued once. A field update is due at once, or an interval after the issue's
 * last write; an update already waiting (same dedupe key) will render the group as it is then, so nothing is added.
 * Nothing is queued for a project without an enabled integration whose settings name update fields or milestones.
 */
export function updateJobCtes(changed: string): string {
  return `updates_on AS (
  SELECT settings->'updates' AS u FROM jira_integrations
   WHERE project_id = $1 AND (settings->>'enabled')::boolean IS NOT FALSE AND jsonb_typeof(settings->'updates') = 'object'
),
update_changed AS (${changed}),
field_jobs AS (
  INSERT INTO outbox (project_id, kind, payload, dedupe_key, available_at)
  SELECT $1, '${FIELDS_KIND}', jsonb_build_object('groupId', update_changed.id::text), '${FIELDS_KIND}:' || update_changed.id,
         GREATEST(now(), COALESCE(i.fields_written_at + make_interval(mins => (s.u->>'minIntervalMinutes')::int), now()))
    FROM update_changed JOIN jira_issues i ON ${joinByKey('i', 'update_changed', 'ticket_ref')}, updates_on s
   WHERE jsonb_array_length(s.u->'fields') > 0
  ${UNFINISHED}
),
milestone_jobs AS (
  INSERT INTO outbox (project_id, kind, payload, dedupe_key)
  SELECT $1, '${MILESTONE_KIND}', jsonb_build_object('groupId', c.id::text, 'milestone', m.n), '${MILESTONE_KIND}:' || c.id || ':' || m.n
    FROM update_changed c, updates_on s, jsonb_array_elements_text(s.u->'milestones') AS t(n), LATERAL (SELECT t.n::bigint AS n) m
   WHERE m.n > c.before AND m.n <= c.after
  ${UNFINISHED}
)`;
}

/** The upsert's changed groups: `up` (written rows) and `v` (the reported sums, `n` the count), ticket linked. */
export const UPSERT_UPDATE_JOBS = updateJobCtes(
  `SELECT up.id, up."ticketRef" AS ticket_ref, up.count - v.n AS before, up.count AS after
     FROM up JOIN v ON v.f = up.fingerprint WHERE up."ticketRef" IS NOT NULL`,
);

const MERGED_UPDATE_JOBS = `WITH ${updateJobCtes(
  `SELECT r.id, r.ticket_ref, r.before, r.after FROM jsonb_to_recordset($2::jsonb) AS r(id bigint, ticket_ref bigint, before bigint, after bigint)`,
)}
SELECT 1`;

/** A group whose count moved from `before` to `after` in this transaction (merged in code, locked). */
export interface ChangedGroup {
  id: string;
  ticketRef: string;
  before: number;
  after: number;
}

/** Whether the issue's interval is over, and the hash of the fields last written. */
export interface FieldsWritten {
  waitMs: number;
  hash: string | null;
}

@Injectable()
export class IssueUpdateRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Queues the update jobs of groups merged in code (the upsert queues its own through UPSERT_UPDATE_JOBS). */
  async enqueueForMerged(m: EntityManager, projectId: string, groups: ChangedGroup[]): Promise<void> {
    if (groups.length === 0) return;
    const rows = groups.map((g) => ({ id: g.id, ticket_ref: g.ticketRef, before: g.before, after: g.after }));
    await m.query(MERGED_UPDATE_JOBS, [projectId, JSON.stringify(rows)]);
  }

  /** How long the issue's next edit must wait (ms, 0: none) and the hash of what was written last; null: no such issue. */
  async fieldsWritten(issueRef: string, intervalMinutes: number): Promise<FieldsWritten | null> {
    const rows: Array<{ wait_ms: number | string; hash: string | null }> = await this.dataSource.query(
      `SELECT GREATEST(0, COALESCE(ceil(extract(epoch FROM fields_written_at + make_interval(mins => $2) - now()) * 1000), 0)) AS wait_ms,
              fields_hash AS hash
         FROM jira_issues WHERE id = $1`,
      [issueRef, intervalMinutes],
    );
    return rows[0] ? { waitMs: Number(rows[0].wait_ms), hash: rows[0].hash } : null;
  }

  /** Starts the interval: an update queued from now on is due an interval later. */
  async stampWriteStarted(issueRef: string): Promise<void> {
    await this.dataSource.query(`UPDATE jira_issues SET fields_written_at = now() WHERE id = $1`, [issueRef]);
  }

  /** What was written, so that an update that would change nothing is not sent. */
  async recordWritten(m: EntityManager, issueRef: string, hash: string): Promise<void> {
    await m.query(`UPDATE jira_issues SET fields_hash = $2 WHERE id = $1`, [issueRef, hash]);
  }

  /**
   * Waits for ingest transactions that hold the group's row (they may have found this job's dedupe key taken before it
   * was released), so that the group read after this sees their reports.
   */
  async waitForGroupWriters(groupId: string): Promise<void> {
    await inTransaction(this.dataSource, (m) => m.query(`SELECT 1 FROM error_groups WHERE id = $1 FOR SHARE`, [groupId]));
  }
}
