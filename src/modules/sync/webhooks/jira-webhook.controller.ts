import { Controller, Headers, HttpCode, Param, Post, Query, Req, Body } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Request } from 'express';
import { Public } from '../../projects/auth/auth.decorators';
import { ReceiveWebhookUseCase, WebhookResult } from './receive-webhook.use-case';

/** Jira → here. Authenticated by the integration's webhook secret, not the admin token. */
@ApiTags('webhooks')
@Controller('webhooks/jira')
export class JiraWebhookController {
  constructor(private readonly receive: ReceiveWebhookUseCase) {}

  @Post(':projectKey')
  @Public()
  @HttpCode(202)
  handle(
    @Param('projectKey') projectKey: string,
    @Query('secret') querySecret: string | undefined,
    @Headers('x-hub-signature') signature: string | undefined,
    @Headers('x-atlassian-webhook-identifier') identifier: string | undefined,
    @Body() body: unknown,
    @Req() req: Request & { rawBody?: Buffer },
  ): Promise<WebhookResult> {
    return this.receive.execute({ projectKey, rawBody: req.rawBody, body, querySecret, signature, identifier });
  }
}
