import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig, runsWorkers } from '@app/config/app-config';
import { OutboxService } from '@app/queue/outbox.service';

/** The pruning job's dedupe key: one run queued or running at a time, across every process. */
export const PRUNE_JOB_KEY = 'retention.prune';

/** Every PRUNE_INTERVAL_SECONDS, a worker queues the pruning job (deduplicated, so several workers queue it once). */
@Injectable()
export class RetentionScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Retention');
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly outbox: OutboxService,
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!runsWorkers(this.config)) return;
    this.timer = setInterval(() => void this.schedule(), this.config.pruneIntervalSeconds * 1000);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
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
