import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig, runsWorkers } from '@app/config/app-config';
import { JiraIntegrationRepository } from '@app/database/repositories/jira-integration.repository';
import { NewJob } from '@app/queue/job-types';
import { OutboxService } from '@app/queue/outbox.service';

/**
 * Every RESYNC_INTERVAL_SECONDS, a worker queues one reconciliation job per
 * enabled integration (deduplicated, so several workers queue it once).
 */
@Injectable()
export class ResyncScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Resync');
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly outbox: OutboxService,
    private readonly dataSource: DataSource,
    private readonly integrations: JiraIntegrationRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!runsWorkers(this.config) || this.config.resyncIntervalSeconds === 0) return;
    this.timer = setInterval(() => void this.schedule(), this.config.resyncIntervalSeconds * 1000);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  private async schedule(): Promise<void> {
    try {
      await this.dataSource.transaction(async (m) => {
        const projectIds = await this.integrations.enabledProjectIds(m);
        const jobs: NewJob[] = projectIds.map((projectId) => ({ kind: 'jira.resync', projectId, payload: { projectId }, dedupeKey: `jira.resync:${projectId}` }));
        await this.outbox.enqueueMany(m, jobs);
      });
      this.outbox.kick();
    } catch (err) {
      this.logger.warn({ msg: 'could not schedule reconciliation', error: (err as Error).message });
    }
  }
}
