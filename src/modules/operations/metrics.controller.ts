import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import { MetricsService } from '@app/common/metrics/metrics.service';
import { JiraIntegrationRepository } from '@app/database/repositories/jira-integration.repository';
import { OutboxRepository } from '@app/database/repositories/outbox.repository';
import { Public } from '@app/modules/projects/auth/auth.decorators';

@ApiTags('operations')
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: MetricsService,
    private readonly outbox: OutboxRepository,
    private readonly integrations: JiraIntegrationRepository,
  ) {}

  /** Prometheus text format. Contains no tokens or secrets. */
  @Get()
  @Public()
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'Prometheus text format (version 0.0.4)', content: { 'text/plain': { schema: { type: 'string' } } } })
  @Header('Content-Type', 'text/plain; version=0.0.4')
  async scrape(): Promise<string> {
    await this.refreshQueueDepth();
    await this.refreshFailingCredentials();
    return this.metrics.registry.metrics();
  }

  private async refreshQueueDepth(): Promise<void> {
    try {
      const counts = await this.outbox.countUnfinishedByStatus();
      this.metrics.queueDepth.reset();
      for (const s of ['pending', 'queued', 'processing'] as const) this.metrics.queueDepth.set({ status: s }, counts[s]);
    } catch {
      // database down: keep the last figures; /health reports the outage
    }
  }

  private async refreshFailingCredentials(): Promise<void> {
    try {
      this.metrics.jiraCredentialsFailing.set((await this.integrations.listFailingCredentials()).length);
    } catch {
      // database down: keep the last figure
    }
  }
}
