import { Body, Controller, Headers, HttpCode, Inject, Param, Post, Query, Req } from '@nestjs/common';
import { HttpAdapterHost, Reflector } from '@nestjs/core';
import { ApiTags } from '@nestjs/swagger';
import { Request } from 'express';
import { registerDirectRoute, sendJson } from '../../../common/http/direct-route';
import { RequestIdMiddleware } from '../../../common/http/request-id.middleware';
import { MetricsService } from '../../../common/metrics/metrics.service';
import { APP_CONFIG, AppConfig } from '../../../config/app-config';
import { HttpMetricsMiddleware } from '../../operations/http-metrics.middleware';
import { Public } from '../../projects/auth/auth.decorators';
import { AuthGuard } from '../../projects/auth/auth.guard';
import { ProjectsService } from '../../projects/projects.service';
import { ReceiveWebhookUseCase, WebhookResult } from './receive-webhook.use-case';

type RawRequest = Request & { rawBody?: Buffer };

/** Jira → here. Authenticated by the integration's webhook secret, not the admin token. */
@ApiTags('webhooks')
@Controller('webhooks/jira')
export class JiraWebhookController {
  constructor(
    private readonly receive: ReceiveWebhookUseCase,
    host: HttpAdapterHost,
    reflector: Reflector,
    projects: ProjectsService,
    metrics: MetricsService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    // Jira can send bursts of events: served straight from Express (common/http/direct-route.ts).
    const requestId = new RequestIdMiddleware();
    const httpMetrics = new HttpMetricsMiddleware(metrics);
    registerDirectRoute(host, {
      path: '/webhooks/jira/:projectKey',
      controller: JiraWebhookController,
      method: 'handle',
      guard: new AuthGuard(reflector, projects, config),
      middleware: [(req, res, next) => requestId.use(req, res, next), (req, res, next) => httpMetrics.use(req, res, next)],
      handle: async (req, res) => {
        const q = req.query.secret as string | undefined;
        const h = req.headers;
        const result = await this.handle(req.params.projectKey as string, q, h['x-hub-signature'] as string, h['x-atlassian-webhook-identifier'] as string, req.body, req);
        sendJson(req, res, 202, result);
      },
    });
  }

  /** Served by the direct route registered in the constructor; this Nest route declares it (OpenAPI). */
  @Post(':projectKey')
  @Public()
  @HttpCode(202)
  handle(
    @Param('projectKey') projectKey: string,
    @Query('secret') querySecret: string | undefined,
    @Headers('x-hub-signature') signature: string | undefined,
    @Headers('x-atlassian-webhook-identifier') identifier: string | undefined,
    @Body() body: unknown,
    @Req() req: RawRequest,
  ): Promise<WebhookResult> {
    return this.receive.execute({ projectKey, rawBody: req.rawBody, body, querySecret, signature, identifier });
  }
}
