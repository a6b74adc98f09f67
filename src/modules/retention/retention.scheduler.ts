import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig, runsWorkers } from '@app/config/app-config';
import { RetentionRepository } from '@app/database/repositories/retention.repository';
import { OutboxService } from '@app/queue/outbox.service';

/** The pruning job's dedupe key: one run queued or running at a time, across every process. */
export const PRUNE_JOB_KEY = 'retention.prune';

/** With no run on record (a new database, or one older than the job's own retention): soon, yet after the start-up rush. */
export const FIRST_RUN_WITHOUT_HISTORY_MS = 10 * 60_000;

/**
 * How long until the first run of a process: an interval after the last run anywhere, so that processes restarted more
 * often than the interval (deploys, an embedded service on a laptop) still prune on time.
 */
export function firstRunDelayMs(lastRunFinishedAt: Date | null, now: Date, intervalMs: number): number {
  if (!lastRunFinishedAt) return Math.min(intervalMs, FIRST_RUN_WITHOUT_HISTORY_MS);
  return Math.min(intervalMs, Math.max(0, lastRunFinishedAt.getTime() + intervalMs - now.getTime()));
}

/** Every PRUNE_INTERVAL_SECONDS, a worker queues the pruning job (deduplicated, so several workers queue it once). */
@Injectable()
export class RetentionScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Retention');
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly outbox: OutboxService,
    private readonly dataSource: DataSource,
    private readonly retention: RetentionRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!runsWorkers(this.config)) return;
    const intervalMs = this.config.pruneIntervalSeconds * 1000;
    const last = await this.retention.lastRunFinishedAt().catch(() => null); // unknown: as if none were on record
    this.timer = setTimeout(() => {
      void this.schedule();
      this.timer = setInterval(() => void this.schedule(), intervalMs);
      this.timer.unref();
    }, firstRunDelayMs(last, new Date(), intervalMs));
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    // One clear for both: Node's timeout and interval handles share their clearing.
    if (this.timer) clearTimeout(this.timer);
  }

  private async schedule(): Promise<void> {
    try {
      const queued = await this.dataSource.transaction((m) => this.outbox.enqueue(m, { kind: 'retention.prune', payload: {}, dedupeKey: PRUNE_JOB_KEY }));
      if (queued) this.outbox.kick();
    } catch (err) {
      this.logger.warn({ msg: 'could not schedule pruning', error: (err as Error).message });
    }
  }
}
