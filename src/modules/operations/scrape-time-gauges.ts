import { Injectable, OnModuleInit } from '@nestjs/common';
import { MetricsService } from '@app/common/metrics/metrics.service';
import { OutboxRepository } from '@app/database/repositories/outbox.repository';
import { StatusRepository } from '@app/database/repositories/status.repository';

/** The gauges read from the database at each scrape: queue depth and lag, and the credentials Jira refuses. */
@Injectable()
export class ScrapeTimeGauges implements OnModuleInit {
  constructor(
    private readonly metrics: MetricsService,
    private readonly outbox: OutboxRepository,
    private readonly status: StatusRepository,
  ) {}

  onModuleInit(): void {
    this.metrics.onScrape(() => this.refreshQueue());
    this.metrics.onScrape(() => this.refreshCredentials());
  }

  private async refreshQueue(): Promise<void> {
    const counts = await this.outbox.countUnfinishedByStatus();
    this.metrics.queueDepth.reset();
    for (const s of ['pending', 'queued', 'processing'] as const) this.metrics.queueDepth.set({ status: s }, counts[s]);
    this.metrics.queueLag.set(await this.status.oldestDueJobAgeSeconds());
  }

  private async refreshCredentials(): Promise<void> {
    const all = await this.status.credentialsHealthOfAll();
    this.metrics.jiraCredentialsFailing.set(all.filter((c) => c.failingSince).length);
    this.metrics.projectCredentialsFailing.reset();
    for (const c of all) this.metrics.projectCredentialsFailing.set({ project: c.projectKey }, c.failingSince ? 1 : 0);
  }
}
