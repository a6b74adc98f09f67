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
// they left. Shared holders do not wait for each other and nothing is written to a shared
// row, so the intakes of one project never queue up on a lock.
import { DataSource, EntityManager } from 'typeorm';
import { Coalescer } from '@app/common/coalescer';
import { isDatabaseUnavailable, isRetryableTransactionError } from '@app/common/errors/database-errors';
import { pgQuery, Statement, statement } from '@app/database/pg-query';
import { retryingConflicts } from '@app/database/transaction';
import { SETTINGS_DEFAULTS, StoredJiraSettings } from '@app/modules/jira-settings/jira-settings';
import { JiraChange } from '@app/modules/sync/inbound/jira-change';

export const WEBHOOK_JOB = 'jira.webhook';

/** One apply job per project (until it hands over: see the top of this file). */
export const webhookJobKey = (projectId: string) => `${WEBHOOK_JOB}:${projectId}`;

const gateKey = (param: string) => `hashtextextended('crashbridge:webhook-intake:' || ${param}::bigint::text, 0)`;
const applyKey = (param: string) => `hashtextextended('crashbridge:webhook-apply:' || ${param}::bigint::text, 0)`;

/**
 * $1 project id, $2 the webhook secret's ciphertext, $3 the deliveries: [{k: dedupe key,
 * i: issue id, c: change}] in arrival order (concurrent deliveries of a project share the
 * statement, see WebhookEventStore), $4 the job's payload, $5 its dedupe key.
 */
const INTAKE = `
WITH gate AS (
  SELECT pg_advisory_xact_lock_shared(${gateKey('$1')})
),
target AS (
  SELECT 1 FROM gate, jira_integrations WHERE project_id = $1 AND webhook_secret_enc = $2
),
input AS (
  SELECT e.v ->> 'k' AS dedupe_key, e.v ->> 'i' AS issue_id, e.v -> 'c' AS change, e.n
    FROM jsonb_array_elements($3::jsonb) WITH ORDINALITY AS e(v, n)
),
delivery AS (
  -- In key order: concurrent statements meeting the same keys wait for each other, never in a cycle.
  INSERT INTO webhook_deliveries (project_id, dedupe_key)
  SELECT $1, input.dedupe_key FROM input, target ORDER BY input.dedupe_key
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
  SELECT $1, '${WEBHOOK_JOB}', $4::jsonb, $5 WHERE EXISTS (SELECT 1 FROM event)
  ON CONFLICT (dedupe_key) WHERE dedupe_key IS NOT NULL AND status IN ('pending', 'queued', 'processing') DO NOTHING
  RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM target) AS "authentic", (SELECT COALESCE(array_agg(dedupe_key), '{}') FROM delivery) AS "fresh",
       EXISTS (SELECT 1 FROM job) AS "queued"`;

export interface IntakeResult {
  /** false: the integration is gone or its secret changed since the caller read it; nothing was written. */
  authentic: boolean;
  /** false: this delivery was recorded before (a retry or duplicate); nothing was written. */
  fresh: boolean;
  /** true: a new job was queued (the relay should be woken). */
  queued: boolean;
}

export interface NewEvent {
  projectId: string;
  /** The ciphertext of the secret the delivery was verified with. */
  secretEnc: string;
  dedupeKey: string;
  change: JiraChange;
}

type Target = Pick<NewEvent, 'projectId' | 'secretEnc'>;
type Delivery = Pick<NewEvent, 'dedupeKey' | 'change'>;

/**
 * Intake statements of a project running at once (deliveries arriving meanwhile share the next
 * one). Embedded PGlite has one pooled connection: a second statement would only wait for it.
 */
const intakeRunning = (server: boolean) => (server ? 2 : 1);
const INTAKE_BATCH = 100;

export class WebhookEventStore {
  private readonly intake: Statement;
  private readonly coalescer: Coalescer<Target, Delivery, { authentic: boolean; fresh: Set<string>; queued: boolean }>;

  /** `server`: PostgreSQL rather than embedded PGlite (named statements, more than one connection). */
  constructor(
    private readonly dataSource: DataSource,
    server: boolean,
  ) {
    this.intake = statement('crashbridge_webhook_intake', INTAKE, server);
    this.coalescer = new Coalescer((target, deliveries) => this.recordAll(target, deliveries), {
      maxRunning: intakeRunning(server),
      maxBatch: INTAKE_BATCH,
      // A delivery Jira sends twice never shares a statement with itself: the second answers "duplicate".
      identity: (d) => d.dedupeKey,
      retryAlone: (err) => !isDatabaseUnavailable(err) && !isRetryableTransactionError(err),
    });
  }

  async record(e: NewEvent): Promise<IntakeResult> {
    const r = await this.coalescer.submit(`${e.projectId}:${e.secretEnc}`, { projectId: e.projectId, secretEnc: e.secretEnc }, e);
    return { authentic: r.authentic, fresh: r.fresh.has(e.dedupeKey), queued: r.queued };
  }

  private async recordAll(t: Target, deliveries: Delivery[]): Promise<{ authentic: boolean; fresh: Set<string>; queued: boolean }> {
    const input = JSON.stringify(deliveries.map((d) => ({ k: d.dedupeKey, i: d.change.issueId, c: d.change })));
    const values = [t.projectId, t.secretEnc, input, JSON.stringify({ projectId: t.projectId }), webhookJobKey(t.projectId)];
    // A deadlock wrote nothing: try again, as inTransaction does.
    const [row] = await retryingConflicts(() => pgQuery<{ authentic: boolean; fresh: string[]; queued: boolean }>(this.dataSource.manager, this.intake, values));
    return { authentic: row.authentic, fresh: new Set(row.fresh), queued: row.queued };
  }
}

/**
 * Takes (deletes) up to `limit` of the project's waiting events, oldest first, and reads
 * the project's Jira settings, in one statement. Batches of one project take turns (an
 * advisory lock held until the transaction ends: the events' subquery waits for it), so
 * a batch applies only after the batch that took older events has committed.
 */
const TAKE = `
WITH turn AS (
  SELECT pg_advisory_xact_lock(${applyKey('$1')}) AS ok
),
taken AS (
  DELETE FROM webhook_events WHERE id IN (
    SELECT id FROM webhook_events WHERE project_id = $1 AND (SELECT true FROM turn) ORDER BY id LIMIT $2
  )
  RETURNING id, change
)
SELECT (SELECT settings FROM jira_integrations WHERE project_id = $1) AS settings,
       (SELECT COALESCE(json_agg(change ORDER BY id), '[]') FROM taken) AS changes,
       (SELECT COALESCE(json_agg(id::text ORDER BY id), '[]') FROM taken) AS ids`;

export async function takePendingEvents(
  m: EntityManager,
  projectId: string,
  limit: number,
): Promise<{ ids: string[]; changes: JiraChange[]; settings: StoredJiraSettings | null }> {
  const [row] = await pgQuery<{ ids: string[]; changes: JiraChange[]; settings: Partial<StoredJiraSettings> | null }>(m, { text: TAKE }, [projectId, limit]);
  // As JiraIntegrationService.findSettings reads them.
  return { ids: row.ids, changes: row.changes, settings: row.settings ? ({ ...SETTINGS_DEFAULTS, ...row.settings } as StoredJiraSettings) : null };
}

/** Takes (deletes) one waiting event by id; null when another batch took it meanwhile. */
export async function takeEvent(m: EntityManager, projectId: string, id: string): Promise<JiraChange | null> {
  const [row] = await pgQuery<{ change: JiraChange }>(m, { text: `DELETE FROM webhook_events WHERE id = $1 AND project_id = $2 RETURNING change` }, [id, projectId]);
  return row?.change ?? null;
}

/** Waits until every intake of the project under way has committed (see the top of this file). */
export async function waitForIntakes(dataSource: DataSource, projectId: string): Promise<void> {
  await dataSource.query(`SELECT pg_advisory_xact_lock(${gateKey('$1')})`, [projectId]);
}
