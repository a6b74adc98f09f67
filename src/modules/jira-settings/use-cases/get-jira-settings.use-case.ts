import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@app/config/app-config';
import { JiraIntegrationRepository } from '@app/database/repositories/jira-integration.repository';
import { ProjectsService } from '@app/modules/projects/projects.service';
import { JiraSettingsResponseDto } from '@app/modules/jira-settings/dto/jira-settings-response.dto';
import { JiraIntegrationService } from '@app/modules/jira-settings/jira-integration.service';
import { toSettingsResponse } from '@app/modules/jira-settings/jira-settings.mapper';
import { integrationNotFound } from './lock-project';

/** Reads the settings without decrypting anything: secrets are never shown here. */
@Injectable()
export class GetJiraSettingsUseCase {
  constructor(
    private readonly rows: JiraIntegrationRepository,
    private readonly projects: ProjectsService,
    private readonly integrations: JiraIntegrationService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute(key: string): Promise<JiraSettingsResponseDto> {
    const project = await this.projects.getByKey(key);
    const row = await this.rows.findByProject(project.id);
    if (!row) throw integrationNotFound(key);
    return toSettingsResponse(this.integrations.settingsOf(row), { publicUrl: this.config.publicUrl, projectKey: key }, this.integrations.healthOf(row));
  }
}
