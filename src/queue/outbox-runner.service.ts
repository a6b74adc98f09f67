import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@app/config/app-config';
import { DataSource, EntityManager } from 'typeorm';
import { MetricsService } from '@app/common/metrics/metrics.service';
import { PermanentJobError, RetryLaterError } from './job-errors';
import { JobContext } from './job-types';
import { JobRegistry } from './job-registry';

export const MAX_ATTEMPTS = 10;
const BASE_BACKOFF_MS = 1_000;
const MAX_BACKOFF_MS = 5 * 60_000;

interface ClaimedRow {
  id: string;
  kind: string;
  payload: unknown;
  attempts: number;
  project_id: string | null;
}

export type RunOutcome = 'done' | 'retry' | 'failed' | 'skipped';

/**
 * Runs one outbox row: claims it (only if due and not held by a live worker),
 * calls its handler, then marks it done, schedules a retry, or fails it.
 * `attempts` doubles as a fencing token: a worker whose lock expired and was
 * taken over cannot overwrite the new owner's outcome.
 */
@Injectable()
export class OutboxRunner {
  private readonly logger = new Logger('Outbox');

  constructor(
    private readonly dataSource: DataSource,
    private readonly registry: JobRegistry,
    private readonly metrics: MetricsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async run(outboxId: string): Promise<RunOutcome> {
    const row = await this.claim(outboxId);
    if (!row) return 'skipped';
    const handler = this.registry.get(row.kind);
    if (!handler) {
      await this.finish(row, 'failed', `no handler for job kind ${row.kind}`);
      this.logger.error({ msg: 'job failed: no handler', job: row.kind, outboxId: row.id });
      return 'failed';
    }
    let completed = false;
    const ctx: JobContext = {
      outboxId: row.id,
      projectId: row.project_id,
      attempt: row.attempts,
      isLastAttempt: row.attempts >= MAX_ATTEMPTS,
      complete: async (fn) => {
        await this.dataSource.transaction(async (m) => {
          await fn(m);
          await this.markDone(m, row);
        });
        completed = true;
      },
      releaseDedupe: async () => {
        await this.dataSource.query(`UPDATE outbox SET dedupe_key = NULL WHERE id = $1 AND attempts = $2 AND status = 'processing'`, [row.id, row.attempts]);
      },
    };
    try {
      await handler.handle(row.payload as never, ctx);
      if (!completed) await this.markDone(this.dataSource.manager, row);
      this.metrics.jobs.inc({ kind: row.kind, outcome: 'done' });
      return 'done';
    } catch (err) {
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

  private async claim(id: string): Promise<ClaimedRow | undefined> {
    const locks = this.registry.lockSeconds();
    const rows: ClaimedRow[] = await this.dataSource.query(
      `UPDATE outbox SET status = 'processing', attempts = attempts + 1,
              locked_until = now() + (COALESCE(($4::int[])[array_position($3::text[], kind::text)], $2::int) * interval '1 second')
        WHERE id = $1
          AND ((status IN ('pending', 'queued') AND available_at <= now())
               OR (status = 'processing' AND locked_until < now()))
        RETURNING id, kind, payload, attempts, project_id`,
      [id, this.config.jobLockSeconds, locks.kinds, locks.seconds],
    );
    // node-postgres returns [rows, count] for UPDATE ... RETURNING through TypeORM
    const list = Array.isArray(rows[0]) ? (rows[0] as unknown as ClaimedRow[]) : rows;
    return list[0];
  }

  private async markDone(m: EntityManager, row: ClaimedRow): Promise<void> {
    await m.query(
      `UPDATE outbox SET status = 'done', finished_at = now(), locked_until = NULL, last_error = NULL
        WHERE id = $1 AND attempts = $2 AND status = 'processing'`,
      [row.id, row.attempts],
    );
  }

  private async finish(row: ClaimedRow, outcome: 'retry' | 'failed', error: string, delayMs = 0): Promise<void> {
    await this.dataSource.query(
      `UPDATE outbox SET status = $3::varchar, last_error = $4, locked_until = NULL,
              available_at = now() + ($5::int * interval '1 millisecond'),
              finished_at = CASE WHEN $3::varchar = 'failed' THEN now() ELSE NULL END
        WHERE id = $1 AND attempts = $2 AND status = 'processing'`,
      [row.id, row.attempts, outcome === 'failed' ? 'failed' : 'pending', error.slice(0, 2000), Math.round(delayMs)],
    );
  }

  /** Exponential backoff with full jitter. */
  private backoff(attempt: number): number {
    const cap = Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** (attempt - 1));
    return cap / 2 + Math.random() * (cap / 2);
  }
}
