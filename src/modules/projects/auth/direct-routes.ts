import { Injectable } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { RequestHandler } from 'express';
import { DirectRoute, registerDirectRoute } from '@app/common/http/direct-route';
import { RequestIdMiddleware } from '@app/common/http/request-id.middleware';
import { HttpMetricsMiddleware } from '@app/common/metrics/http-metrics.middleware';
import { MetricsService } from '@app/common/metrics/metrics.service';
import { AuthGuard } from './auth.guard';

/**
 * Registers hot POST routes straight on Express (common/http/direct-route.ts) with what the
 * app gives every other route: the app-wide middleware in the app's order (request id, then
 * metrics) and the global AuthGuard, the same instance Nest runs (APP_GUARD in ProjectsModule).
 * It lives beside the guard so that every feature module that serves such a route (ingestion,
 * sync) reaches it through ProjectsModule, which they depend on already.
 */
@Injectable()
export class DirectRoutes {
  private readonly middleware: RequestHandler[];

  constructor(
    private readonly host: HttpAdapterHost,
    private readonly guard: AuthGuard,
    metrics: MetricsService,
  ) {
    const requestId = new RequestIdMiddleware();
    const httpMetrics = new HttpMetricsMiddleware(metrics);
    this.middleware = [(req, res, next) => requestId.use(req, res, next), (req, res, next) => httpMetrics.use(req, res, next)];
  }

  register(route: Omit<DirectRoute, 'guard' | 'middleware'>): void {
    registerDirectRoute(this.host, { ...route, guard: this.guard, middleware: this.middleware });
  }
}
