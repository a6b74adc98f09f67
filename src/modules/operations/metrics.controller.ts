import { Controller, Get, Header } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { MetricsService } from '@app/common/metrics/metrics.service';
import { Public } from '@app/modules/projects/auth/auth.decorators';

@ApiTags('operations')
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: MetricsService,
    private readonly dataSource: DataSource,
  ) {}

  /** Prometheus text format. Contains no tokens or secrets. */
  @Get()
  @Public()
  @Header('Content-Type', 'text/plain; version=0.0.4')
  async scrape(): Promise<string> {
    await this.refreshQueueDepth();
    return this.metrics.registry.metrics();
  }

  private async refreshQueueDepth(): Promise<void> {
    try {
      const rows: Array<{ status: string; n: string }> = await this.dataSource.query(
        `SELECT status, count(*) AS n FROM outbox WHERE status IN ('pending', 'queued', 'processing') GROUP BY status`,
      );
      this.metrics.queueDepth.reset();
      for (const s of ['pending', 'queued', 'processing']) {
        this.metrics.queueDepth.set({ status: s }, Number(rows.find((r) => r.status === s)?.n ?? 0));
      }
    } catch {
      // database down: keep the last figures; /health reports the outage
    }
  }
}
