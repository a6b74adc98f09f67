import { MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from './health.controller';
import { HttpMetricsMiddleware } from '@app/common/metrics/http-metrics.middleware';
import { MetricsController } from './metrics.controller';
import { QueueHealthIndicator } from './queue.health';
import { ScrapeTimeGauges } from './scrape-time-gauges';
import { WorkerMetricsServer } from './worker-metrics.server';

@Module({
  // No terminus logger: an outage would log every probe; /health and the metrics say it.
  imports: [TerminusModule.forRoot({ logger: false })],
  controllers: [HealthController, MetricsController],
  providers: [QueueHealthIndicator, ScrapeTimeGauges, WorkerMetricsServer],
})
export class OperationsModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(HttpMetricsMiddleware).forRoutes('*path');
  }
}
