import { Body, Controller, Headers, Param, Post, Query, Req } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBody, ApiHeader, ApiQuery, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '@app/common/http/openapi-errors';
import { WebhookResultDto } from './dto/webhook-result.dto';
import { Request } from 'express';
import { BODY_LIMITS } from '@app/common/http/body-limits';
import { ServedDirectly } from '@app/common/http/direct-route';
import { Public } from '@app/modules/projects/auth/auth.decorators';
import { ReceiveWebhookUseCase, WebhookResult } from './receive-webhook.use-case';
import { WebhookRateLimited } from './webhook-rejections';

type RawRequest = Request & { rawBody?: Buffer };

/** Jira → here. Authenticated by the integration's webhook secret, not the admin token. */
@ApiTags('webhooks')
@Controller('webhooks/jira')
export class JiraWebhookController {
  constructor(private readonly receive: ReceiveWebhookUseCase) {}

  /** Jira can send bursts of events: the direct-route adapter calls this method (common/http/direct-route.ts). */
  @Post(':projectKey')
  @Public()
  @ApiQuery({ name: 'secret', required: false, description: 'The webhook secret, for Jira Data Center (which cannot sign); else X-Hub-Signature' })
  @ApiHeader({ name: 'X-Hub-Signature', required: false, description: 'sha256=<HMAC of the body with the webhook secret> (Jira Cloud)' })
  @ApiHeader({ name: 'X-Atlassian-Webhook-Identifier', required: false, description: 'Jira\'s delivery id: a repeat is answered `duplicate`' })
  @ApiBody({ schema: { type: 'object', additionalProperties: true, description: 'A Jira webhook event (jira:issue_updated, jira:issue_deleted, …)' } })
  @ApiAcceptedResponse({ type: WebhookResultDto })
  @ApiErrors(401, 404, 429)
  @ServedDirectly({
    path: '/webhooks/jira/:projectKey',
    status: 202,
    // Jira Cloud signs and sends no query string: Express parses one only when there is one.
    args: (req) => [req.params.projectKey, req.url.includes('?') ? req.query.secret : undefined, req.headers['x-hub-signature'], req.headers['x-atlassian-webhook-identifier'], req.body, req],
    bodyLimit: BODY_LIMITS.webhook, // authenticated by an HMAC over the body, so it must be read first
  })
  handle(
    @Param('projectKey') projectKey: string,
    @Query('secret') querySecret: string | undefined,
    @Headers('x-hub-signature') signature: string | undefined,
    @Headers('x-atlassian-webhook-identifier') identifier: string | undefined,
    @Body() body: unknown,
    @Req() req: RawRequest,
  ): Promise<WebhookResult> {
    const address = () => req.ip ?? req.socket.remoteAddress ?? 'unknown';
    return this.receive.execute({ projectKey, rawBody: req.rawBody, body, querySecret, signature, identifier, address }).catch((err: unknown) => {
      // The error body comes from the exception filter; the header is this route's to set.
      if (err instanceof WebhookRateLimited) req.res?.setHeader('Retry-After', String(err.retryAfterSeconds));
      throw err;
    });
  }
}
