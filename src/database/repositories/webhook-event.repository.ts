// Accepted Jira webhook events wait in `webhook_events` until a job of their project applies them.
//
// Intake is one statement (no transaction round trips), shared by the deliveries of a
// project that arrive together (common/coalescer.ts): it checks that the integration
// still holds the webhook secret the caller verified the signature with, records each
// delivery once (webhook_deliveries), stores the events, and makes sure a job for the
// project exists (one per project: the outbox dedupe key, which the job holds while it
// runs). The job applies events in batches for as long as they keep coming, so under load
// one job and a few transactions a second carry all of a project's events, instead of one
// job per event.
//
// Why no event is left behind: an intake that finds the job relies on it, so the job may
// only finish after it has read that intake's event. When the job is done it gives up its
// dedupe key (later intakes queue a new job), then waits for the intakes still under way
// (each holds a shared advisory lock of the project, the intake gate, until it commits;
// the job takes the gate exclusively for a moment: waitForIntakes), then applies what
// they left. Shared holders do not wait for each other, nor do key-share locks of the
// project row, and no intake updates a shared row, so the intakes of one project never
// queue up on a lock.
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { pgQuery, Statement, statement } from '@app/database/pg-query';
import { LockedIssues, lockedIssuesOf, lockIssuesWithGroupsSql } from './locked-issues';

/** A row of `webhook_events`: an accepted event waiting to be applied. */
export interface WebhookEventRow<Change = unknown> {
  id: string;
  project_id: string;
  issue_id: string;
  change: Change;
  received_at: Date;
}

/** A row of `webhook_deliveries`: a delivery's dedupe key and body hash, so that a retried or replayed delivery applies once. */
export interface WebhookDeliveryRow {
  project_id: string;
  dedupe_key: string;
  /** SHA-256 of the raw body (null for deliveries recorded before it was kept). */
  body_sha256: Buffer | null;
  received_at: Date;
}

/** The outbox kind of the job that applies a project's waiting events (the intake statement queues it). */
export const WEBHOOK_APPLY_JOB = 'jira.webhook';

const gateKey = (param: string) => `hashtextextended('crashbridge:webhook-intake:' || ${param}::bigint::text, 0)`;
const applyKey = (param: string) => `hashtextextended('crashbridge:webhook-apply:' || ${param}::bigint::text, 0)`;

/**
 * $1 project id, $2 the webhook secret's ciphertext, $3 the deliveries: [{k: dedupe key,
 * h: the body's SHA-256 in hex, i: issue id, c: change}] in arrival order (concurrent
 * deliveries of a project share the statement), $4 the job's payload, $5 its dedupe key.
 * A delivery is recorded when both its key and its body are new to the project: DO NOTHING
 * skips a conflict on either unique index, also with a row of the same statement.
 */
const INTAKE = `
WITH gate AS (
  SELECT pg_advisory_xact_lock_shared(${gateKey('$1')})
),
-- The project row is locked once, in place of a foreign key check per inserted row (as the ingest statements
-- do): a delete of the project waits for this statement, then its trigger deletes what it wrote; a statement
-- after the delete finds no project. Locking the project first, as the delete does, keeps the job's own key
-- check (outbox) from waiting in a cycle with it.
target AS (
  SELECT 1 FROM gate, projects p JOIN jira_integrations i ON i.project_id = p.id
   WHERE p.id = $1 AND i.webhook_secret_enc = $2 FOR KEY SHARE OF p
),
input AS (
  SELECT e.v ->> 'k' AS dedupe_key, decode(e.v ->> 'h', 'hex') AS body_sha256, e.v ->> 'i' AS issue_id, e.v -> 'c' AS change, e.n
    FROM jsonb_array_elements($3::jsonb) WITH ORDINALITY AS e(v, n)
),
delivery AS (
  -- In key order: concurrent statements meeting the same keys wait for each other, never in a cycle
  -- (replays of one body under other keys can meet out of order: retryingConflicts retries that deadlock).
  INSERT INTO webhook_deliveries (project_id, dedupe_key, body_sha256)
  SELECT $1, input.dedupe_key, input.body_sha256 FROM input, target ORDER BY input.dedupe_key
  ON CONFLICT DO NOTHING
  RETURNING dedupe_key
),
event AS (
  INSERT INTO webhook_events (project_id, issue_id, change)
  SELECT $1, input.issue_id, input.change FROM input JOIN delivery USING (dedupe_key) ORDER BY input.n
  RETURNING 1
),
job AS (
  INSERT INTO outbox (project_id, kind, payload, dedupe_key)
  SELECT $1, '${WEBHOOK_APPLY_JOB}', $4::jsonb, $5 WHERE EXISTS (SELECT 1 FROM event)
  ON CONFLICT (dedupe_key) WHERE dedupe_key IS NOT NULL AND status IN ('pending', 'queued', 'processing') DO NOTHING
  RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM target) AS "authentic", (SELECT COALESCE(array_agg(dedupe_key), '{}') FROM delivery) AS "fresh",
       EXISTS (SELECT 1 FROM job) AS "queued"`;

const TAKEN_LOCKS = lockIssuesWithGroupsSql('$1', `ARRAY(SELECT change ->> 'issueId' FROM taken)`);

/**
 * Takes (deletes) up to $2 of the project's waiting events, oldest first, locks their linked
 * issues and groups (locked-issues.ts), and reads the project's Jira settings, in one statement.
 * Batches of one project take turns (an advisory lock held until the transaction ends), so a
 * batch applies only after the batch that took older events has committed. The statement only
 * tries the lock: a statement reads with the snapshot of its start, and one that had waited for
 * the batch ahead would not see an issue linked meanwhile. When the turn is taken ("turn" false,
 * nothing taken), takePending waits for it in a statement of its own and runs this one again.
 *
 * The transaction commits without waiting for its WAL to reach the disk (synchronous_commit off,
 * for this transaction only): what it applies is in webhook_events, written durably by the intake,
 * and a crash that loses the commit loses it whole, so the events are waiting again and the job,
 * whose own end commits durably (and so flushes every batch before it), applies them again.
 */
const TAKE = `
WITH turn AS (
  SELECT pg_try_advisory_xact_lock(${applyKey('$1')}) AS ok, set_config('synchronous_commit', 'off', true)
),
taken AS (
  DELETE FROM webhook_events WHERE id IN (
    SELECT id FROM webhook_events WHERE project_id = $1 AND (SELECT ok FROM turn) ORDER BY id LIMIT $2
  )
  RETURNING id, change, received_at
),${TAKEN_LOCKS.ctes}
SELECT (SELECT ok FROM turn) AS turn,
       (SELECT settings FROM jira_integrations WHERE project_id = $1) AS settings,
       (SELECT COALESCE(json_agg(change ORDER BY id), '[]') FROM taken) AS changes,
       (SELECT COALESCE(json_agg(id::text ORDER BY id), '[]') FROM taken) AS ids,
       (SELECT COALESCE(json_agg(EXTRACT(EPOCH FROM clock_timestamp() - received_at)::float8 ORDER BY id), '[]') FROM taken) AS "waitedSeconds",
       ${TAKEN_LOCKS.columns}`;

/** The deliveries of one project that share an intake statement, in arrival order. */
export interface IntakeInput<Change = unknown> {
  projectId: string;
  /** The ciphertext of the secret the deliveries were verified with. */
  secretEnc: string;
  deliveries: Array<{ dedupeKey: string; bodySha256: string; issueId: string; change: Change }>;
  /** The apply job to queue when there is none: its payload and dedupe key. */
  jobPayload: unknown;
  jobDedupeKey: string;
}

export interface IntakeOutcome {
  /** false: the integration no longer holds that secret (or is gone); nothing was written. */
  authentic: boolean;
  /** The dedupe keys recorded now (the others, or their bodies, were recorded before). */
  fresh: string[];
  /** true: a new apply job was queued. */
  queued: boolean;
}

/** Events taken for applying, oldest first, with the project's stored Jira settings (as stored, null without an integration). */
export interface TakenEvents<Change, Settings> {
  ids: string[];
  changes: Change[];
  /** How long each event waited since it was accepted, by the database's clock (for the webhook lag metric). */
  waitedSeconds: number[];
  settings: Settings | null;
  /** The linked issues the events are about, and their groups, locked for the transaction. */
  locked: LockedIssues;
}

/** Where a webhook delivery of a project key goes: the project and its stored secret's ciphertext (null without an integration). */
export interface WebhookTargetRow {
  projectId: string;
  secretEnc: string | null;
}

/** The webhook inbox: delivery records, waiting events, and the intake that writes them. */
@Injectable()
export class WebhookEventRepository {
  /** Prepared statements (database/pg-query.ts). */
  private readonly intakeStatement: Statement = statement('crashbridge_webhook_intake', INTAKE);
  private readonly takeStatement: Statement = statement('crashbridge_webhook_take', TAKE);

  constructor(private readonly dataSource: DataSource) {}

  /** Records the deliveries and their events, and queues the apply job, in one statement (see the top of this file). */
  async intake<Change>(i: IntakeInput<Change>): Promise<IntakeOutcome> {
    const input = JSON.stringify(i.deliveries.map((d) => ({ k: d.dedupeKey, h: d.bodySha256, i: d.issueId, c: d.change })));
    const values = [i.projectId, i.secretEnc, input, JSON.stringify(i.jobPayload), i.jobDedupeKey];
    const [row] = await pgQuery<IntakeOutcome>(this.dataSource.manager, this.intakeStatement, values);
    return row;
  }

  /**
   * Takes (deletes) up to `limit` of the project's waiting events in `m`'s transaction, in turn with other
   * batches, and locks their issues and groups (see TAKE).
   */
  async takePending<Change, Settings>(m: EntityManager, projectId: string, limit: number): Promise<TakenEvents<Change, Settings>> {
    type Row = Omit<TakenEvents<Change, Settings>, 'locked'> & LockedIssues & { turn: boolean };
    let [row] = await pgQuery<Row>(m, this.takeStatement, [projectId, limit]);
    if (!row.turn) {
      await m.query(`SELECT pg_advisory_xact_lock(${applyKey('$1')})`, [projectId]);
      [row] = await pgQuery<Row>(m, this.takeStatement, [projectId, limit]);
    }
    const { issues, groups, turn: _turn, ...taken } = row;
    return { ...taken, locked: lockedIssuesOf({ issues, groups }) };
  }

  /** Takes (deletes) one waiting event by id; null when another batch took it meanwhile. */
  async takeOne<Change>(m: EntityManager, projectId: string, id: string): Promise<Change | null> {
    const [row] = await pgQuery<{ change: Change }>(m, { text: `DELETE FROM webhook_events WHERE id = $1 AND project_id = $2 RETURNING change` }, [id, projectId]);
    return row?.change ?? null;
  }

  /** Waits until every intake of the project under way has committed (see the top of this file). */
  async waitForIntakes(projectId: string): Promise<void> {
    await this.dataSource.query(`SELECT pg_advisory_xact_lock(${gateKey('$1')})`, [projectId]);
  }

  /** The project of this key and its webhook secret's ciphertext; undefined when there is no such project. */
  async findTarget(projectKey: string): Promise<WebhookTargetRow | undefined> {
    const rows: Array<{ id: string; enc: string | null }> = await this.dataSource.query(
      `SELECT p.id::text AS id, i.webhook_secret_enc AS enc FROM projects p LEFT JOIN jira_integrations i ON i.project_id = p.id WHERE p.key = $1`,
      [projectKey],
    );
    return rows[0] && { projectId: rows[0].id, secretEnc: rows[0].enc };
  }
}
