import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { OutboxEntity } from '@app/database/entities';
import { pgQuery } from '@app/database/pg-query';
import { returnedRows } from '@app/database/returned-rows';

/** A row of `outbox`. */
export type OutboxRow = OutboxEntity;

/** A job to write; `payload` is stored as jsonb. */
export interface NewOutboxRow {
  projectId: string | null;
  kind: string;
  payload: unknown;
  dedupeKey: string | null;
  /** Due this many ms from now (0: at once). */
  delayMs: number;
}

/** What a worker needs of the row it claimed. */
export type ClaimedOutboxRow = Pick<OutboxRow, 'id' | 'kind' | 'attempts' | 'projectId'> & { payload: unknown };

/** A row due for the dispatcher. */
export type DueOutboxRow = Pick<OutboxRow, 'id' | 'attempts'>;

/** A failed row as the failures list shows it, with the group and issue it was about (when it names a group). */
export interface FailedOutboxRow {
  id: string;
  kind: string;
  payload: Record<string, unknown>;
  attempts: number;
  lastError: string | null;
  createdAt: Date;
  failedAt: Date | null;
  fingerprint: string | null;
  title: string | null;
  issueKey: string | null;
}

/** What stops a row from being retried: absent, not failed, or its dedupe key held by an unfinished row. */
export type RetryBlock = { reason: 'missing' } | { reason: 'not-failed'; status: string } | { reason: 'queued'; by: string };

/** The unfinished rows by status, for /metrics. */
export type ActiveOutboxCounts = Record<'pending' | 'queued' | 'processing', number>;

/**
 * The outbox table: jobs written in the caller's transaction, then claimed and settled
 * by workers. `attempts` doubles as a fencing token: every write of a claimed row names
 * the attempt that claimed it, so a worker whose lock lapsed and was taken over cannot
 * overwrite the new owner's outcome.
 */
@Injectable()
export class OutboxRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Writes one job; null when an unfinished job (pending, queued, processing) holds its dedupe key. */
  async insert(m: EntityManager, job: NewOutboxRow): Promise<string | null> {
    const rows: Array<{ id: string }> = await m.query(
      `INSERT INTO outbox (project_id, kind, payload, dedupe_key, available_at)
       VALUES ($1, $2, $3, $4, now() + ($5::int * interval '1 millisecond'))
       ON CONFLICT (dedupe_key) WHERE dedupe_key IS NOT NULL AND status IN ('pending', 'queued', 'processing') DO NOTHING
       RETURNING id`,
      [job.projectId, job.kind, JSON.stringify(job.payload), job.dedupeKey, job.delayMs],
    );
    return rows[0]?.id ?? null;
  }

  /** Writes many jobs, due at once, in one statement; returns how many were written. */
  async insertMany(m: EntityManager, jobs: Array<Omit<NewOutboxRow, 'delayMs'>>): Promise<number> {
    if (jobs.length === 0) return 0;
    const rows = jobs.map((j) => ({ project_id: j.projectId, kind: j.kind, payload: j.payload, dedupe_key: j.dedupeKey }));
    const inserted: unknown[] = await m.query(
      `INSERT INTO outbox (project_id, kind, payload, dedupe_key)
       SELECT r.project_id, r.kind, r.payload, r.dedupe_key
         FROM jsonb_to_recordset($1::jsonb) AS r(project_id bigint, kind text, payload jsonb, dedupe_key text)
       ON CONFLICT (dedupe_key) WHERE dedupe_key IS NOT NULL AND status IN ('pending', 'queued', 'processing') DO NOTHING
       RETURNING id`,
      [JSON.stringify(rows)],
    );
    return inserted.length;
  }

  /**
   * Claims the row if it is due and not held by a live worker: counts an attempt and locks it
   * for `lockSeconds`, which the worker renews while the job runs (renewClaim). undefined when
   * someone else has it or it is not due.
   */
  async claimDue(id: string, lockSeconds: number): Promise<ClaimedOutboxRow | undefined> {
    const rows: unknown[] = await this.dataSource.query(
      `UPDATE outbox SET status = 'processing', attempts = attempts + 1, waiting_for = NULL, woken_for = NULL,
              locked_until = now() + ($2::int * interval '1 second')
        WHERE id = $1
          AND ((status IN ('pending', 'queued') AND available_at <= now())
               OR (status = 'processing' AND locked_until < now()))
        RETURNING id, kind, payload, attempts, project_id`,
      [id, lockSeconds],
    );
    const list = returnedRows<{ id: string; kind: string; payload: unknown; attempts: number; project_id: string | null }>(rows);
    const row = list[0];
    return row && { id: row.id, kind: row.kind, payload: row.payload, attempts: row.attempts, projectId: row.project_id };
  }

  /**
   * The heartbeat of a running job: its claim holds for `lockSeconds` more. false when the row is
   * no longer this attempt's (its lock lapsed and another worker took it, or it was settled).
   */
  async renewClaim(id: string, attempt: number, lockSeconds: number): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `UPDATE outbox SET locked_until = now() + ($3::int * interval '1 second')
        WHERE id = $1 AND attempts = $2 AND status = 'processing'
        RETURNING id`,
      [id, attempt, lockSeconds],
    );
    return returnedRows(rows).length > 0;
  }

  /** Marks the claimed row done, through `m` so that it commits with the job's own writes. */
  async markDone(m: EntityManager, id: string, attempt: number): Promise<void> {
    await m.query(
      `UPDATE outbox SET status = 'done', finished_at = now(), locked_until = NULL, last_error = NULL
        WHERE id = $1 AND attempts = $2 AND status = 'processing'`,
      [id, attempt],
    );
  }

  /** Fails the claimed row for good, through `m` so that it commits with the job's own writes. */
  async markFailed(m: EntityManager, id: string, attempt: number, error: string): Promise<void> {
    await m.query(
      `UPDATE outbox SET status = 'failed', finished_at = now(), locked_until = NULL, last_error = $3
        WHERE id = $1 AND attempts = $2 AND status = 'processing'`,
      [id, attempt, error.slice(0, 2000)],
    );
  }

  /** Fails the claimed row for good, or makes it due again after `delayMs` (status pending). */
  async markUnsuccessful(id: string, attempt: number, outcome: 'retry' | 'failed', error: string, delayMs: number): Promise<void> {
    await this.dataSource.query(
      `UPDATE outbox SET status = $3::varchar, last_error = $4, locked_until = NULL,
              available_at = now() + ($5::int * interval '1 millisecond'),
              finished_at = CASE WHEN $3::varchar = 'failed' THEN now() ELSE NULL END
        WHERE id = $1 AND attempts = $2 AND status = 'processing'`,
      [id, attempt, outcome === 'failed' ? 'failed' : 'pending', error.slice(0, 2000), Math.round(delayMs)],
    );
  }

  /**
   * Puts the claimed row back to wait for `waitingFor` to clear, due again after `delayMs` at the latest.
   * The run is not counted: `attempts` goes back to what it was before the claim. That is still a safe fencing
   * token: a worker that lost this row holds an older claim's number, and the next claim counts past it again.
   */
  async markWaiting(id: string, attempt: number, waitingFor: string, reason: string, delayMs: number): Promise<void> {
    await this.dataSource.query(
      `UPDATE outbox SET status = 'pending', attempts = attempts - 1, last_error = $4, locked_until = NULL, woken_for = NULL,
              waiting_for = CASE WHEN woken_for = $3 THEN NULL ELSE $3 END,
              available_at = CASE WHEN woken_for = $3 THEN now() ELSE now() + ($5::int * interval '1 millisecond') END
        WHERE id = $1 AND attempts = $2 AND status = 'processing'`,
      [id, attempt, waitingFor, reason.slice(0, 2000), Math.round(delayMs)],
    );
  }

  /**
   * The project's rows waiting for `waitingFor` are due at once; returns how many. Rows still processing are told
   * too: a job that got its refusal before this wake but ends waiting after it must not sleep through it.
   */
  async wakeWaiting(m: EntityManager, projectId: string, waitingFor: string): Promise<number> {
    // One statement, not one per status: a row whose job settles into the wait while this runs is re-checked in
    // its new version (pending, waiting) and woken, where a second statement's older snapshot would miss it.
    const rows: unknown[] = await m.query(
      `UPDATE outbox
          SET woken_for = CASE WHEN status = 'processing' THEN $2 ELSE woken_for END,
              available_at = CASE WHEN status = 'pending' THEN now() ELSE available_at END,
              waiting_for = CASE WHEN status = 'pending' THEN NULL ELSE waiting_for END
        WHERE project_id = $1 AND (status = 'processing' OR (status = 'pending' AND waiting_for = $2))
        RETURNING status`,
      [projectId, waitingFor],
    );
    return returnedRows<{ status: string }>(rows).filter((r) => r.status === 'pending').length;
  }

  /** The claimed row gives up its dedupe key while it keeps running. */
  async releaseDedupeKey(id: string, attempt: number): Promise<void> {
    await this.dataSource.query(`UPDATE outbox SET dedupe_key = NULL WHERE id = $1 AND attempts = $2 AND status = 'processing'`, [id, attempt]);
  }

  /**
   * Up to `limit` rows for the dispatcher, oldest due first: pending rows now due, rows handed
   * to the queue more than `requeueAfterSeconds` ago and not started, and rows whose lock lapsed.
   */
  async findDue(limit: number, requeueAfterSeconds: number): Promise<DueOutboxRow[]> {
    const rows: Array<{ id: string; attempts: number }> = await this.dataSource.query(
      `SELECT id, attempts FROM outbox
        WHERE status IN ('pending', 'queued', 'processing')
          AND ((status = 'pending' AND available_at <= now())
               OR (status = 'queued' AND queued_at < now() - ($2::int * interval '1 second'))
               OR (status = 'processing' AND locked_until < now()))
        ORDER BY available_at, id
        LIMIT $1`,
      [limit, requeueAfterSeconds],
    );
    return rows.map((r) => ({ id: String(r.id), attempts: Number(r.attempts) }));
  }

  /** Records that these rows were handed to the queue (pending ones become queued). */
  async markQueued(ids: string[]): Promise<void> {
    await this.dataSource.query(
      `UPDATE outbox SET status = CASE WHEN status = 'pending' THEN 'queued' ELSE status END, queued_at = now()
        WHERE id = ANY($1::bigint[]) AND status IN ('pending', 'queued')`,
      [ids],
    );
  }

  /** Every row handed to the queue becomes pending (due) again; returns how many. */
  async requeueQueued(): Promise<number> {
    const [{ n }] = await pgQuery<{ n: number }>(
      this.dataSource.manager,
      { text: `WITH r AS (UPDATE outbox SET status = 'pending' WHERE status = 'queued' RETURNING 1) SELECT count(*)::int AS n FROM r` },
      [],
    );
    return n;
  }

  /** Ticket creations the create rules queued for the project in the last hour (their hourly budget). */
  async countAutoTicketJobsLastHour(m: EntityManager, projectId: string): Promise<number> {
    const [{ n }] = await m.query(
      `SELECT count(*)::int AS n FROM outbox
        WHERE project_id = $1 AND kind = 'ticket.create' AND (payload->>'auto')::boolean AND created_at > now() - interval '1 hour'`,
      [projectId],
    );
    return n;
  }

  /** The project's failed rows, most recent first. */
  async listFailed(projectId: string, limit: number): Promise<FailedOutboxRow[]> {
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(
      `SELECT o.id, o.kind, o.payload, o.attempts, o.last_error, o.created_at, o.finished_at, g.fingerprint, g.title,
              COALESCE(i.issue_key, o.payload->'change'->>'issueKey') AS issue_key
         FROM outbox o
         LEFT JOIN error_groups g ON g.project_id = o.project_id
              AND g.id = CASE WHEN o.payload->>'groupId' ~ '^[0-9]{1,18}$' THEN (o.payload->>'groupId')::bigint END
         LEFT JOIN jira_issues i ON i.id = g.ticket_ref
        WHERE o.project_id = $1 AND o.status = 'failed'
        ORDER BY o.finished_at DESC NULLS LAST, o.id DESC
        LIMIT $2`,
      [projectId, limit],
    );
    return rows.map((r) => ({
      id: String(r.id), kind: r.kind as string, payload: (r.payload ?? {}) as Record<string, unknown>, attempts: Number(r.attempts),
      lastError: (r.last_error as string | null) ?? null, createdAt: new Date(r.created_at as string), failedAt: r.finished_at ? new Date(r.finished_at as string) : null,
      fingerprint: (r.fingerprint as string | null) ?? null, title: (r.title as string | null) ?? null, issueKey: (r.issue_key as string | null) ?? null,
    }));
  }

  /** Why the project's row `id` cannot be retried now; undefined when it can. */
  async retryBlock(projectId: string, id: string): Promise<RetryBlock | undefined> {
    const [row]: Array<{ status: string; held_by: string | null }> = await this.dataSource.query(
      `SELECT o.status, (SELECT u.id FROM outbox u WHERE u.dedupe_key = o.dedupe_key AND u.status IN ('pending', 'queued', 'processing') LIMIT 1) AS held_by
         FROM outbox o WHERE o.project_id = $1 AND o.id = $2`,
      [projectId, id],
    );
    if (!row) return { reason: 'missing' };
    if (row.status !== 'failed') return { reason: 'not-failed', status: row.status };
    if (row.held_by) return { reason: 'queued', by: String(row.held_by) };
    return undefined;
  }

  /**
   * Makes failed rows of the project due again from their first attempt (all of them, or those in `ids`).
   * A row whose dedupe key an unfinished row holds stays failed (that row does the same work), and of
   * failed rows sharing a key only the newest goes. A row that is no longer failed (a concurrent retry
   * took it) is left alone, so each retry runs the work once.
   */
  async retryFailed(m: EntityManager, projectId: string, ids: string[] | null): Promise<Array<{ id: string; kind: string; payload: Record<string, unknown> }>> {
    const rows: unknown[] = await m.query(
      `UPDATE outbox o SET status = 'pending', attempts = 0, available_at = now(), queued_at = NULL, locked_until = NULL, finished_at = NULL
        WHERE o.project_id = $1 AND o.status = 'failed' AND ($2::bigint[] IS NULL OR o.id = ANY($2::bigint[]))
          AND (o.dedupe_key IS NULL OR (
               NOT EXISTS (SELECT 1 FROM outbox u WHERE u.dedupe_key = o.dedupe_key AND u.status IN ('pending', 'queued', 'processing'))
               AND o.id = (SELECT max(f.id) FROM outbox f WHERE f.dedupe_key = o.dedupe_key AND f.status = 'failed'
                             AND f.project_id = o.project_id AND ($2::bigint[] IS NULL OR f.id = ANY($2::bigint[])))))
        RETURNING o.id, o.kind, o.payload`,
      [projectId, ids],
    );
    return returnedRows<{ id: string; kind: string; payload: Record<string, unknown> }>(rows).map((r) => ({ id: String(r.id), kind: r.kind, payload: r.payload ?? {} }));
  }

  async countUnfinishedByStatus(): Promise<ActiveOutboxCounts> {
    const rows: Array<{ status: string; n: string }> = await this.dataSource.query(
      `SELECT status, count(*) AS n FROM outbox WHERE status IN ('pending', 'queued', 'processing') GROUP BY status`,
    );
    const of = (s: string) => Number(rows.find((r) => r.status === s)?.n ?? 0);
    return { pending: of('pending'), queued: of('queued'), processing: of('processing') };
  }
}
