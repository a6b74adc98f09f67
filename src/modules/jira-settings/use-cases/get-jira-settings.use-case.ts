import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@app/config/app-config';
import { JiraIntegrationRepository } from '@app/database/repositories/jira-integration.repository';
import { ProjectsService } from '@app/modules/projects/projects.service';
import { JiraSettingsResponseDto } from '@app/modules/jira-settings/dto/jira-settings-response.dto';
import { JiraIntegrationService } from '@app/modules/jira-settings/jira-integration.service';
import { toSettingsResponse } from '@app/modules/jira-settings/jira-settings.mapper';
import { JiraWebhookService } from '@app/modules/jira-settings/jira-webhook.service';
import { integrationNotFound } from './lock-project';

/** Reads the settings (secrets are decrypted only to tell whether they can be, never shown), with the webhook's health. */
@Injectable()
export class GetJiraSettingsUseCase {
  constructor(
    private readonly rows: JiraIntegrationRepository,
    private readonly projects: ProjectsService,
    private readonly integrations: JiraIntegrationService,
    private readonly webhooks: JiraWebhookService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute(key: string): Promise<JiraSettingsResponseDto> {
    const project = await this.projects.getByKey(key);
    const row = await this.rows.findByProject(project.id);
    if (!row) throw integrationNotFound(key);
    const response = toSettingsResponse(this.integrations.settingsOf(row), { publicUrl: this.config.publicUrl, projectKey: key }, this.integrations.secretProblems(row), this.integrations.healthOf(row));
    // The health figures appear once there is a history to show (registered, delivered, or warned): a webhook
    // never registered here and never delivered keeps its plain `{url}`.
    const health = await this.webhooks.health(project.id);
    const shown = health.registered || health.lastDeliveryAt !== null || health.warning !== undefined;
    return shown ? { ...response, webhook: { ...response.webhook, ...health } } : response;
  }
}
