// Accepted Jira webhook events wait in `webhook_events` until a job of their project applies
// them. How intake and the apply job hand over without leaving an event behind is told at the
// top of database/repositories/webhook-event.repository.ts, next to the statements.
import { Coalescer } from '@app/common/coalescer';
import { isDatabaseUnavailable, isRetryableTransactionError } from '@app/common/errors/database-errors';
import { WEBHOOK_APPLY_JOB, WebhookEventRepository } from '@app/database/repositories/webhook-event.repository';
import { retryingConflicts } from '@app/database/transaction';
import { JobKind } from '@app/queue/job-kinds';
import { JiraChange } from '@app/modules/sync/inbound/jira-change';

/** The repository writes the kind into its intake statement; typed here so it stays in the list. */
export const WEBHOOK_JOB: JobKind = WEBHOOK_APPLY_JOB;

/** One apply job per project (until it hands over). */
export const webhookJobKey = (projectId: string) => `${WEBHOOK_JOB}:${projectId}`;

export interface IntakeResult {
  /** false: the integration is gone or its secret changed since the caller read it; nothing was written. */
  authentic: boolean;
  /** false: this delivery, or its body, was recorded before (a retry, duplicate or replay); nothing was written. */
  fresh: boolean;
  /** true: a new job was queued (the relay should be woken). */
  queued: boolean;
}

export interface NewEvent {
  projectId: string;
  /** The ciphertext of the secret the delivery was verified with. */
  secretEnc: string;
  dedupeKey: string;
  /** SHA-256 of the raw body, hex: a body recorded before is a replay, whatever its dedupe key. */
  bodySha256: string;
  change: JiraChange;
}

type Target = Pick<NewEvent, 'projectId' | 'secretEnc'>;
type Delivery = Pick<NewEvent, 'dedupeKey' | 'bodySha256' | 'change'>;

/**
 * Intake statements of a project running at once (deliveries arriving meanwhile share the next
 * one). One in both modes, as for single reports (ingest-groups.use-case.ts): on PostgreSQL a
 * second one at once cost more database CPU per delivery (npm run bench, webhooks: 0.20 → 0.17 ms).
 */
const INTAKE_RUNNING = 1;
const INTAKE_BATCH = 100;

/** Records deliveries; those of a project that arrive together share one intake statement. */
export class WebhookEventStore {
  private readonly coalescer: Coalescer<Target, Delivery, { authentic: boolean; fresh: Set<string>; queued: boolean }>;

  constructor(private readonly events: WebhookEventRepository) {
    this.coalescer = new Coalescer((target, deliveries) => this.recordAll(target, deliveries), {
      maxRunning: INTAKE_RUNNING,
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
    const input = {
      projectId: t.projectId,
      secretEnc: t.secretEnc,
      deliveries: deliveries.map((d) => ({ dedupeKey: d.dedupeKey, bodySha256: d.bodySha256, issueId: d.change.issueId, change: d.change })),
      jobPayload: { projectId: t.projectId },
      jobDedupeKey: webhookJobKey(t.projectId),
    };
    // A deadlock wrote nothing: try again, as inTransaction does.
    const row = await retryingConflicts(() => this.events.intake(input));
    return { authentic: row.authentic, fresh: new Set(row.fresh), queued: row.queued };
  }
}
