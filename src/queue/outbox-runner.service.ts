import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@app/config/app-config';
import { DataSource } from 'typeorm';
import { MetricsService } from '@app/common/metrics/metrics.service';
import { ClaimedOutboxRow, OutboxRepository } from '@app/database/repositories/outbox.repository';
import { JobWaitError, PermanentJobError, RetryLaterError } from './job-errors';
import { ClaimHeartbeat } from './claim-heartbeat';
import { JobGates } from './job-gates';
import { JobContext } from './job-types';
import { JobRegistry } from './job-registry';

export const MAX_ATTEMPTS = 10;
const BASE_BACKOFF_MS = 1_000;
const MAX_BACKOFF_MS = 5 * 60_000;

export type RunOutcome = 'done' | 'retry' | 'failed' | 'skipped' | 'waiting';

/**
 * Runs one outbox row: claims it (only if due and not held by a live worker) for
 * JOB_LOCK_SECONDS, renews the claim while it runs (ClaimHeartbeat), calls its handler,
 * then marks it done, schedules a retry, or fails it. A job that must wait for a cause to
 * clear (a gate says so before it runs, or it throws JobWaitError) waits without spending an attempt.
 * `attempts` doubles as a fencing token: a worker whose lock expired and was
 * taken over cannot overwrite the new owner's outcome.
 */
@Injectable()
export class OutboxRunner {
  private readonly logger = new Logger('Outbox');

  constructor(
    private readonly dataSource: DataSource,
    private readonly rows: OutboxRepository,
    private readonly registry: JobRegistry,
    private readonly metrics: MetricsService,
    private readonly gates: JobGates,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async run(outboxId: string): Promise<RunOutcome> {
    const lockSeconds = this.config.jobLockSeconds;
    const row = await this.rows.claimDue(outboxId, lockSeconds);
    if (!row) return 'skipped';
    // Renewed three times per lock: two renewals can fail (a slow database) before the claim lapses.
    const heartbeat = ClaimHeartbeat.start(() => this.rows.renewClaim(row.id, row.attempts, lockSeconds), (lockSeconds * 1_000) / 3, {
      onLost: () => this.logger.warn({ msg: 'job claim lost while running: another worker took it; this run can no longer settle it', job: row.kind, outboxId: row.id, attempt: row.attempts }),
      onError: (err) => this.logger.warn({ msg: 'job claim not renewed', job: row.kind, outboxId: row.id, error: err instanceof Error ? err.message : String(err) }),
    });
    try {
      return await this.runClaimed(row);
    } finally {
      heartbeat.stop();
    }
  }

  private async runClaimed(row: ClaimedOutboxRow): Promise<RunOutcome> {
    const handler = this.registry.get(row.kind);
    if (!handler) {
      await this.finish(row, 'failed', `no handler for job kind ${row.kind}`);
      this.logger.error({ msg: 'job failed: no handler', job: row.kind, outboxId: row.id });
      return 'failed';
    }
    const gated = await this.gates.check(row.kind, row.projectId);
    if (gated) return this.wait(row, gated);
    let completed = false as false | 'done' | 'failed'; // set by complete() or fail()
    const ctx: JobContext = {
      outboxId: row.id,
      projectId: row.projectId,
      attempt: row.attempts,
      isLastAttempt: row.attempts >= MAX_ATTEMPTS,
      complete: async (fn) => {
        await this.dataSource.transaction(async (m) => {
          await fn(m);
          await this.rows.markDone(m, row.id, row.attempts);
        });
        completed = 'done';
      },
      fail: async (error, fn) => {
        await this.dataSource.transaction(async (m) => {
          await fn(m);
          await this.rows.markFailed(m, row.id, row.attempts, error);
        });
        completed = 'failed';
      },
      releaseDedupe: async () => {
        await this.rows.releaseDedupeKey(row.id, row.attempts);
      },
    };
    try {
      await handler.handle(row.payload as never, ctx);
      if (!completed) await this.rows.markDone(this.dataSource.manager, row.id, row.attempts);
      const outcome = completed === 'failed' ? 'failed' : 'done';
      this.metrics.jobs.inc({ kind: row.kind, outcome });
      return outcome;
    } catch (err) {
      if (err instanceof JobWaitError) return this.wait(row, err);
      const message = err instanceof Error ? err.message : String(err);
      const permanent = err instanceof PermanentJobError || row.attempts >= MAX_ATTEMPTS;
      const outcome = permanent ? 'failed' : 'retry';
      const delay = err instanceof RetryLaterError && err.retryAfterMs !== undefined ? err.retryAfterMs : this.backoff(row.attempts);
      await this.finish(row, outcome, message, delay);
      this.metrics.jobs.inc({ kind: row.kind, outcome });
      this.logger.warn({ msg: 'job did not succeed', job: row.kind, outboxId: row.id, attempt: row.attempts, outcome, error: message });
      return outcome;
    }
  }

  private async wait(row: ClaimedOutboxRow, reason: JobWaitError): Promise<RunOutcome> {
    await this.rows.markWaiting(row.id, row.attempts, reason.waitingFor, reason.message, reason.retryAfterMs ?? 0);
    this.metrics.jobs.inc({ kind: row.kind, outcome: 'waiting' });
    this.logger.warn({ msg: 'job waiting', job: row.kind, outboxId: row.id, waitingFor: reason.waitingFor, reason: reason.message });
    return 'waiting';
  }

  private async finish(row: ClaimedOutboxRow, outcome: 'retry' | 'failed', error: string, delayMs = 0): Promise<void> {
    await this.rows.markUnsuccessful(row.id, row.attempts, outcome, error, delayMs);
  }

  /** Exponential backoff with full jitter. */
  private backoff(attempt: number): number {
    const cap = Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** (attempt - 1));
    return cap / 2 + Math.random() * (cap / 2);
  }
}
