import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { JiraIntegrationRepository } from '@app/database/repositories/jira-integration.repository';
import { inTransaction } from '@app/database/transaction';
import { integrationNotFound, lockProject } from './lock-project';

/**
 * Removes the integration with its secrets. Links between groups and Jira issues
 * stay (they belong to the project), so re-adding the integration finds them again.
 */
@Injectable()
export class DeleteJiraSettingsUseCase {
  private readonly logger = new Logger('JiraSettings');

  constructor(
    private readonly dataSource: DataSource,
    private readonly integrations: JiraIntegrationRepository,
  ) {}

  async execute(key: string): Promise<void> {
    await inTransaction(this.dataSource, async (m) => {
      const projectId = await lockProject(this.integrations, m, key);
      if (!(await this.integrations.deleteByProject(m, projectId))) throw integrationNotFound(key);
    });
    this.logger.log({ msg: 'jira integration deleted', project: key });
  }
}
