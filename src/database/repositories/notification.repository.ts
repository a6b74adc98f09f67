import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { FeedPosition, feedPageSql } from './group-change.repository';

/** A row of `notification_settings` (the secret still encrypted). */
export interface NotificationSettingsRow {
  projectId: string;
  projectKey: string;
  url: string;
  secretEnc: string;
  events: string[];
  delivered: FeedPosition;
  updatedAt: Date;
}

/** A change the delivery job may have to send, with its group as it is now, and what was already settled for it. */
export interface PendingEvent {
  seq: string;
  /** The change's row id: the event's id, and what its attempts name. */
  id: string;
  type: string;
  fingerprint: string;
  at: Date;
  changes: Record<string, unknown>;
  group: Record<string, unknown> | null;
  /** Delivered or given up already (a later change of another group held the cursor back). */
  settled: boolean;
  /** Failed attempts so far, and when the first was. */
  failures: number;
  firstFailureAt: Date | null;
}

/** One attempt to write. */
export interface NewDeliveryAttempt {
  changeId: string;
  deliveryId: string;
  type: string;
  fingerprint: string;
  outcome: 'delivered' | 'failed' | 'given_up';
  httpStatus: number | null;
  error: string | null;
}

/** How far behind a receiver is: events waiting (counted up to `BACKLOG_COUNT_LIMIT`), those of them that failed, events given up. */
export interface NotificationBacklog {
  pending: number;
  failing: number;
  givenUp: number;
}

/** Counting the waiting events stops here: a page showing "more than 10,000" need not read a day-long backlog. */
export const BACKLOG_COUNT_LIMIT = 10_000;

/** A row of `notification_deliveries` as the API lists it. */
export interface DeliveryAttemptRow extends NewDeliveryAttempt {
  id: string;
  at: Date;
}

const SETTINGS_COLUMNS = `s.project_id::text AS "projectId", p.key AS "projectKey", s.url, s.secret_enc AS "secretEnc", s.events,
  json_build_object('seq', s.delivered_seq::text, 'id', s.delivered_id::text) AS delivered, s.updated_at AS "updatedAt"`;

/** Settings, progress and attempts of outbound notifications (`notification_settings`, `notification_deliveries`). */
@Injectable()
export class NotificationRepository {
  constructor(private readonly dataSource: DataSource) {}

  async find(projectId: string): Promise<NotificationSettingsRow | null> {
    const rows: NotificationSettingsRow[] = await this.dataSource.query(
      `SELECT ${SETTINGS_COLUMNS} FROM notification_settings s JOIN projects p ON p.id = s.project_id WHERE s.project_id = $1`,
      [projectId],
    );
    return rows[0] ?? null;
  }

  /**
   * Saves the settings. A new receiver starts at the feed's head (it hears of changes from now on; the feed has the
   * past); a changed one keeps its progress.
   */
  async save(projectId: string, url: string, secretEnc: string, events: string[]): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO notification_settings (project_id, url, secret_enc, events, delivered_seq, delivered_id)
       VALUES ($1, $2, $3, $4, COALESCE((SELECT last_seq FROM change_feed_heads WHERE project_id = $1), 0), 9223372036854775807)
       ON CONFLICT (project_id) DO UPDATE SET url = EXCLUDED.url, secret_enc = EXCLUDED.secret_enc, events = EXCLUDED.events, updated_at = now()`,
      [projectId, url, secretEnc, events],
    );
  }

  async remove(projectId: string): Promise<boolean> {
    // A SELECT over the delete: TypeORM answers a bare DELETE with [rows, count], whose length is always 2.
    const [row]: Array<{ n: number }> = await this.dataSource.query(
      `WITH d AS (DELETE FROM notification_settings WHERE project_id = $1 RETURNING 1) SELECT count(*)::int AS n FROM d`,
      [projectId],
    );
    return row.n > 0;
  }

  /**
   * Passes every receiver's encrypted secret to `rewrite` and stores what it returns (null: keep it), in one transaction
   * with the rows locked, so a settings PUT meanwhile waits instead of being overwritten. Returns how many changed.
   */
  async rewriteSecrets(rewrite: (projectId: string, secretEnc: string) => string | null): Promise<number> {
    return this.dataSource.transaction(async (m) => {
      const rows: Array<{ projectId: string; secretEnc: string }> = await m.query(
        `SELECT project_id::text AS "projectId", secret_enc AS "secretEnc" FROM notification_settings ORDER BY project_id FOR UPDATE`,
      );
      let changed = 0;
      for (const r of rows) {
        const next = rewrite(r.projectId, r.secretEnc);
        if (next === null || next === r.secretEnc) continue;
        await m.query(`UPDATE notification_settings SET secret_enc = $2 WHERE project_id = $1`, [r.projectId, next]);
        changed++;
      }
      return changed;
    });
  }

  /** Projects with a receiver whose feed has changes past its progress (the scheduler queues their jobs). */
  async projectsBehind(): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.dataSource.query(
      `SELECT s.project_id::text AS id FROM notification_settings s JOIN change_feed_heads h ON h.project_id = s.project_id 
        WHERE h.last_seq > s.delivered_seq OR (h.last_seq = s.delivered_seq AND s.delivered_id < 9223372036854775807)`,
    );
    return rows.map((r) => r.id);
  }

  /** The next `limit` changes after `afterSeq`, of the subscribed types, with their group and their attempts so far. */
  async pending(projectId: string, after: FeedPosition, types: string[], limit: number): Promise<PendingEvent[]> {
    const rows: PendingEvent[] = await this.dataSource.query(
      `SELECT c.seq::text AS seq, c.id::text AS id, c.type, c.fingerprint, c.at, c.changes,
              CASE WHEN g.id IS NULL THEN NULL ELSE json_build_object('fingerprint', g.fingerprint, 'title', g.title, 'state', g.state,
                'assignee', g.assignee, 'count', g.count, 'regressions', g.regressions, 'firstSeen', g.first_seen, 'lastSeen', g.last_seen,
                'ticket', CASE WHEN i.id IS NULL THEN NULL ELSE json_build_object('key', i.issue_key, 'url', i.url) END) END AS "group",
              COALESCE(d.settled, false) AS settled, COALESCE(d.failures, 0)::int AS failures, d.first_failure AS "firstFailureAt"
         FROM ${feedPageSql({ projectId: '$1', seq: '$2::bigint', id: '$3::bigint', types: '$4::text[]', limit: '$5' })} c
         LEFT JOIN error_groups g ON g.id = c.group_id
         LEFT JOIN jira_issues i ON i.id = g.ticket_ref
         LEFT JOIN LATERAL (
           SELECT bool_or(outcome <> 'failed') AS settled, count(*) FILTER (WHERE outcome = 'failed') AS failures,
                  min(at) FILTER (WHERE outcome = 'failed') AS first_failure
             FROM notification_deliveries n WHERE n.project_id = c.project_id AND n.change_id = c.id) d ON true
        ORDER BY c.seq, c.id`,
      [projectId, after.seq, after.id, types, limit],
    );
    return rows.map((r) => ({ ...r, at: new Date(r.at), firstFailureAt: r.firstFailureAt ? new Date(r.firstFailureAt) : null }));
  }

  /** Writes a batch's attempts in one statement. */
  async recordAttempts(projectId: string, attempts: NewDeliveryAttempt[]): Promise<void> {
    if (attempts.length === 0) return;
    await this.dataSource.query(
      `INSERT INTO notification_deliveries (project_id, change_id, delivery_id, type, fingerprint, outcome, http_status, error)
       SELECT $1, a."changeId", a."deliveryId", a.type, a.fingerprint, a.outcome, a."httpStatus", a.error
         FROM jsonb_to_recordset($2::jsonb) AS a("changeId" bigint, "deliveryId" uuid, type text, fingerprint text, outcome text, "httpStatus" int, error text)`,
      [projectId, JSON.stringify(attempts)],
    );
  }

  /** Moves the progress forward (never back, and only for the receiver the job read: a replaced one keeps its own). */
  async advance(projectId: string, to: FeedPosition): Promise<void> {
    await this.dataSource.query(
      `UPDATE notification_settings SET delivered_seq = $2, delivered_id = $3 WHERE project_id = $1 AND (delivered_seq, delivered_id) < ($2::bigint, $3::bigint)`,
      [projectId, to.seq, to.id],
    );
  }

  /** The receiver's backlog: subscribed changes past its progress not yet delivered or given up, and how many failed. */
  async backlog(projectId: string): Promise<NotificationBacklog> {
    const [row]: Array<{ pending: number; failing: number; givenUp: number }> = await this.dataSource.query(
      `WITH waiting AS (
         SELECT c.id, c.project_id FROM notification_settings s
          CROSS JOIN LATERAL ${feedPageSql({ projectId: 's.project_id', seq: 's.delivered_seq', id: 's.delivered_id', types: 's.events', limit: '$2' })} c
          WHERE s.project_id = $1
       ), open AS (
         SELECT w.id, EXISTS (SELECT 1 FROM notification_deliveries n WHERE n.project_id = w.project_id AND n.change_id = w.id AND n.outcome = 'failed') AS failed
           FROM waiting w
          WHERE NOT EXISTS (SELECT 1 FROM notification_deliveries n WHERE n.project_id = w.project_id AND n.change_id = w.id AND n.outcome <> 'failed')
       )
       SELECT (SELECT count(*) FROM open)::int AS pending, (SELECT count(*) FROM open WHERE failed)::int AS failing,
              (SELECT count(*) FROM notification_deliveries WHERE project_id = $1 AND outcome = 'given_up')::int AS "givenUp"`,
      [projectId, BACKLOG_COUNT_LIMIT + 1],
    );
    return row;
  }

  /** Attempts newest first, before the row id `beforeId` when given. */
  async listAttempts(projectId: string, beforeId: string | null, limit: number): Promise<DeliveryAttemptRow[]> {
    const rows: DeliveryAttemptRow[] = await this.dataSource.query(
      `SELECT id::text AS id, change_id::text AS "changeId", delivery_id::text AS "deliveryId", type, fingerprint, outcome, http_status AS "httpStatus", error, at
         FROM notification_deliveries WHERE project_id = $1 AND ($2::bigint IS NULL OR id < $2::bigint) ORDER BY id DESC LIMIT $3`,
      [projectId, beforeId, limit],
    );
    return rows.map((r) => ({ ...r, at: new Date(r.at) }));
  }
}
