import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig, runsWorkers } from '@app/config/app-config';
import { NotificationRepository } from '@app/database/repositories/notification.repository';
import { NewJob } from '@app/queue/job-types';
import { OutboxService } from '@app/queue/outbox.service';
import { deliverJobKey } from './deliver-notifications.job';

const POLL_MS = 1_000;

/**
 * Every second, a worker queues the delivery job of each project whose receiver is behind its change feed
 * (deduplicated: a job already queued, running or waiting out its backoff holds the key). The feed and the stored
 * progress are the durable record, so a crash loses nothing: the next tick queues the job again.
 */
@Injectable()
export class NotificationScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Notifications');
  private timer?: NodeJS.Timeout;
  private running = false;

  constructor(
    private readonly outbox: OutboxService,
    private readonly dataSource: DataSource,
    private readonly settings: NotificationRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!runsWorkers(this.config)) return;
    this.timer = setInterval(() => void this.schedule(), POLL_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  private async schedule(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      const projectIds = await this.settings.projectsBehind();
      if (projectIds.length === 0) return;
      const jobs: NewJob[] = projectIds.map((projectId) => ({ kind: 'notifications.deliver', projectId, payload: { projectId }, dedupeKey: deliverJobKey(projectId) }));
      if ((await this.dataSource.transaction((m) => this.outbox.enqueueMany(m, jobs))) > 0) this.outbox.kick();
    } catch (err) {
      this.logger.warn({ msg: 'could not schedule notification delivery', error: (err as Error).message });
    } finally {
      this.running = false;
    }
  }
}
