import { Body, Controller, Headers, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Request } from 'express';
import { sendJson } from '@app/common/http/direct-route';
import { Public } from '@app/modules/projects/auth/auth.decorators';
import { DirectRoutes } from '@app/modules/projects/auth/direct-routes';
import { ReceiveWebhookUseCase, WebhookResult } from './receive-webhook.use-case';

type RawRequest = Request & { rawBody?: Buffer };

/** Jira → here. Authenticated by the integration's webhook secret, not the admin token. */
@ApiTags('webhooks')
@Controller('webhooks/jira')
export class JiraWebhookController {
  constructor(
    private readonly receive: ReceiveWebhookUseCase,
    directRoutes: DirectRoutes,
  ) {
    // Jira can send bursts of events: served straight from Express (common/http/direct-route.ts).
    directRoutes.register({
      path: '/webhooks/jira/:projectKey',
      controller: JiraWebhookController,
      method: 'handle',
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
