import { Injectable } from '@nestjs/common';
import { ProjectsService } from '@app/modules/projects/projects.service';
import { JiraIntegrationService } from '@app/modules/jira-settings/jira-integration.service';
import { JiraWebhookService } from '@app/modules/jira-settings/jira-webhook.service';
import { integrationNotFound } from './lock-project';

/** DELETE …/integrations/jira/webhook: removes the integration's webhooks from Jira (none there is fine). */
@Injectable()
export class DeleteJiraWebhookUseCase {
  constructor(
    private readonly projects: ProjectsService,
    private readonly integrations: JiraIntegrationService,
    private readonly webhooks: JiraWebhookService,
  ) {}

  async execute(key: string): Promise<void> {
    const project = await this.projects.getByKey(key);
    const integration = await this.integrations.find(project.id);
    if (!integration) throw integrationNotFound(key);
    await this.webhooks.unregister(integration, key);
  }
}
