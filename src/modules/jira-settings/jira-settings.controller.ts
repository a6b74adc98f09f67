import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ObjectBodyInterceptor } from './object-body.interceptor';
import { JiraSettingsResponseDto } from '@app/modules/jira-settings/dto/jira-settings-response.dto';
import { PutJiraSettingsDto } from '@app/modules/jira-settings/dto/put-jira-settings.dto';
import { DeleteJiraSettingsUseCase } from '@app/modules/jira-settings/use-cases/delete-jira-settings.use-case';
import { GetJiraSettingsUseCase } from '@app/modules/jira-settings/use-cases/get-jira-settings.use-case';
import { PutJiraSettingsUseCase } from '@app/modules/jira-settings/use-cases/put-jira-settings.use-case';
import { RotateWebhookSecretUseCase } from '@app/modules/jira-settings/use-cases/rotate-webhook-secret.use-case';

/** Admin API for a project's Jira integration (admin token only: the guard's default). */
@ApiTags('jira settings')
@ApiBearerAuth()
@Controller('api/v1/projects/:key/integrations/jira')
export class JiraSettingsController {
  constructor(
    private readonly putSettings: PutJiraSettingsUseCase,
    private readonly getSettings: GetJiraSettingsUseCase,
    private readonly deleteSettings: DeleteJiraSettingsUseCase,
    private readonly rotateSecret: RotateWebhookSecretUseCase,
  ) {}

  /** Create or replace. The response shows the webhook secret only when the integration is created. */
  @Put()
  @UseInterceptors(ObjectBodyInterceptor)
  put(@Param('key') key: string, @Body() dto: PutJiraSettingsDto): Promise<JiraSettingsResponseDto> {
    return this.putSettings.execute(key, dto);
  }

  @Get()
  get(@Param('key') key: string): Promise<JiraSettingsResponseDto> {
    return this.getSettings.execute(key);
  }

  @Delete()
  @HttpCode(204)
  async remove(@Param('key') key: string): Promise<void> {
    await this.deleteSettings.execute(key);
  }

  /** New webhook secret, shown in full in this response only. */
  @Post('webhook-secret')
  @HttpCode(200)
  rotate(@Param('key') key: string): Promise<JiraSettingsResponseDto> {
    return this.rotateSecret.execute(key);
  }
}
