import { Injectable } from '@nestjs/common';
import { ProjectsService } from '@app/modules/projects/projects.service';
import { RegisteredWebhookDto } from '@app/modules/jira-settings/dto/jira-webhook.dto';
import { JiraIntegrationService } from '@app/modules/jira-settings/jira-integration.service';
import { JiraWebhookService } from '@app/modules/jira-settings/jira-webhook.service';
import { integrationNotFound } from './lock-project';

/**
 * POST …/integrations/jira/webhook: registers the integration's webhook in Jira (admin webhook API),
 * or keeps the one there when it is as wanted. Jira is the only store written besides our record of it.
 */
@Injectable()
export class RegisterJiraWebhookUseCase {
  constructor(
    private readonly projects: ProjectsService,
    private readonly integrations: JiraIntegrationService,
    private readonly webhooks: JiraWebhookService,
  ) {}

  async execute(key: string): Promise<RegisteredWebhookDto> {
    const project = await this.projects.getByKey(key);
    const integration = await this.integrations.find(project.id);
    if (!integration) throw integrationNotFound(key);
    return this.webhooks.register(integration, key);
  }
}
