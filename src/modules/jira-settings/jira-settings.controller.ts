import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Res, UseInterceptors } from '@nestjs/common';
import { Response } from 'express';
import { ApiBearerAuth, ApiExtraModels, ApiForbiddenResponse, ApiNoContentResponse, ApiOkResponse, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { ErrorResponseDto } from '@app/common/errors/error-response.dto';
import { ApiErrors } from '@app/common/http/openapi-errors';
import { ObjectBodyInterceptor } from './object-body.interceptor';
import { JiraSettingsResponseDto } from '@app/modules/jira-settings/dto/jira-settings-response.dto';
import { PutJiraSettingsDto } from '@app/modules/jira-settings/dto/put-jira-settings.dto';
import { DeleteJiraSettingsUseCase } from '@app/modules/jira-settings/use-cases/delete-jira-settings.use-case';
import { GetJiraSettingsUseCase } from '@app/modules/jira-settings/use-cases/get-jira-settings.use-case';
import { PutJiraSettingsUseCase } from '@app/modules/jira-settings/use-cases/put-jira-settings.use-case';
import { RotateWebhookSecretUseCase } from '@app/modules/jira-settings/use-cases/rotate-webhook-secret.use-case';
import { RegisteredWebhookDto, WebhookNeedsAdminBody } from '@app/modules/jira-settings/dto/jira-webhook.dto';
import { WebhookNeedsAdminError } from '@app/modules/jira-settings/jira-webhook.service';
import { DeleteJiraWebhookUseCase } from '@app/modules/jira-settings/use-cases/delete-jira-webhook.use-case';
import { RegisterJiraWebhookUseCase } from '@app/modules/jira-settings/use-cases/register-jira-webhook.use-case';

/** Admin API for a project's Jira integration (admin token only: the guard's default). */
@ApiTags('jira settings')
@ApiBearerAuth()
@ApiExtraModels(WebhookNeedsAdminBody)
@Controller('api/v1/projects/:key/integrations/jira')
export class JiraSettingsController {
  constructor(
    private readonly putSettings: PutJiraSettingsUseCase,
    private readonly getSettings: GetJiraSettingsUseCase,
    private readonly deleteSettings: DeleteJiraSettingsUseCase,
    private readonly rotateSecret: RotateWebhookSecretUseCase,
    private readonly registerWebhook: RegisterJiraWebhookUseCase,
    private readonly deleteWebhook: DeleteJiraWebhookUseCase,
  ) {}

  /** Create or replace. The response shows the webhook secret only when the integration is created. */
  @Put()
  @ApiOkResponse({ type: JiraSettingsResponseDto, description: 'Saved (created or replaced); the webhook secret is shown when the integration is created' })
  @ApiErrors(404)
  @UseInterceptors(ObjectBodyInterceptor)
  put(@Param('key') key: string, @Body() dto: PutJiraSettingsDto): Promise<JiraSettingsResponseDto> {
    return this.putSettings.execute(key, dto);
  }

  @Get()
  @ApiOkResponse({ type: JiraSettingsResponseDto })
  @ApiErrors(404)
  get(@Param('key') key: string): Promise<JiraSettingsResponseDto> {
    return this.getSettings.execute(key);
  }

  @Delete()
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Removed' })
  @ApiErrors(404)
  async remove(@Param('key') key: string): Promise<void> {
    await this.deleteSettings.execute(key);
  }

  /** New webhook secret, shown in full in this response only. */
  @Post('webhook-secret')
  @HttpCode(200)
  @ApiOkResponse({ type: JiraSettingsResponseDto, description: 'The new secret is shown in `webhook.secret`' })
  @ApiErrors(404)
  rotate(@Param('key') key: string): Promise<JiraSettingsResponseDto> {
    return this.rotateSecret.execute(key);
  }

  /**
   * Registers the webhook in Jira (admin webhook API); a repeat keeps one webhook. Without Jira
   * admin rights: 403 with `manualSteps`, what to register by hand.
   */
  @Post('webhook')
  @HttpCode(200)
  @ApiOkResponse({ type: RegisteredWebhookDto })
  @ApiForbiddenResponse({
    description: 'Jira refuses its admin webhook API (JIRA_WEBHOOK_FORBIDDEN, with manualSteps), or a token that may not use this route',
    schema: { anyOf: [{ $ref: getSchemaPath(WebhookNeedsAdminBody) }, { $ref: getSchemaPath(ErrorResponseDto) }] },
  })
  @ApiErrors(404, 409, 502)
  async register(@Param('key') key: string, @Res({ passthrough: true }) res: Response): Promise<RegisteredWebhookDto | WebhookNeedsAdminBody> {
    try {
      return await this.registerWebhook.execute(key);
    } catch (err) {
      if (!(err instanceof WebhookNeedsAdminError)) throw err;
      res.status(err.status);
      return { statusCode: err.status, error: 'Forbidden', message: [err.message], code: 'JIRA_WEBHOOK_FORBIDDEN', manualSteps: err.manualSteps };
    }
  }

  /** Removes the integration's webhooks from Jira. */
  @Delete('webhook')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Removed from Jira' })
  @ApiErrors(400, 404, 409, 502)
  async unregister(@Param('key') key: string): Promise<void> {
    await this.deleteWebhook.execute(key);
  }
}
