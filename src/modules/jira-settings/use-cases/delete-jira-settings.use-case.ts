import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { JiraIntegrationRepository } from '@app/database/repositories/jira-integration.repository';
import { inTransaction } from '@app/database/transaction';
import { ActivityService } from '@app/modules/activity/activity.service';
import { ProjectsService } from '@app/modules/projects/projects.service';
import { JiraIntegrationService } from '@app/modules/jira-settings/jira-integration.service';
import { JiraWebhookService } from '@app/modules/jira-settings/jira-webhook.service';
import { integrationNotFound, lockProject } from './lock-project';

/**
 * Removes the integration with its secrets. Links between groups and Jira issues
 * stay (they belong to the project), so re-adding the integration finds them again.
 * The webhook the bridge registered goes too, best effort: when Jira refuses, the
 * activity log says so and the integration is deleted here all the same.
 */
@Injectable()
export class DeleteJiraSettingsUseCase {
  private readonly logger = new Logger('JiraSettings');

  constructor(
    private readonly dataSource: DataSource,
    private readonly integrations: JiraIntegrationRepository,
    private readonly projects: ProjectsService,
    private readonly settings: JiraIntegrationService,
    private readonly webhooks: JiraWebhookService,
    private readonly activity: ActivityService,
  ) {}

  async execute(key: string): Promise<void> {
    const project = await this.projects.getByKey(key);
    const left = await this.webhooks.removeStored(project.id, () => this.settings.find(project.id));
    await inTransaction(this.dataSource, async (m) => {
      const projectId = await lockProject(this.integrations, m, key);
      if (!(await this.integrations.deleteByProject(m, projectId))) throw integrationNotFound(key);
      if (left) {
        await this.activity.record(m, {
          projectId, kind: 'webhook.unregister_failed', source: 'api',
          detail: `Jira did not remove webhook ${left.id} (${left.reason}); remove it in Jira (System → WebHooks). The integration was deleted here.`,
        });
      }
    });
    this.logger.log({ msg: 'jira integration deleted', project: key, webhookLeftInJira: left?.id });
  }
}
