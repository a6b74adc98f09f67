import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { notFound } from '@app/common/errors/domain-error';
import { GroupQueryRepository } from '@app/database/repositories/group-queries.repository';
import { TicketView } from '@app/database/repositories/jira-issue.rows';
import { inTransaction } from '@app/database/transaction';
import { ActivityService } from '@app/modules/activity/activity.service';
import { JiraClientFactory } from '@app/modules/jira/jira-client.factory';
import { connectionOf, JiraIntegrationService } from '@app/modules/jira-settings/jira-integration.service';
import { lockGroup } from './group-lookup';
import { LinkedIssuesService, snapshotOf } from './linked-issues.service';
import { integrationMissing } from './request-ticket.use-case';

/** Links a group to an issue that already exists in Jira (checked there first). */
@Injectable()
export class LinkExistingIssueUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly groups: GroupQueryRepository,
    private readonly integrations: JiraIntegrationService,
    private readonly clients: JiraClientFactory,
    private readonly linked: LinkedIssuesService,
    private readonly activity: ActivityService,
  ) {}

  async execute(projectId: string, fingerprint: string, key: string): Promise<TicketView> {
    const integration = await this.integrations.find(projectId, undefined, 'api');
    if (!integration || !integration.settings.enabled) throw integrationMissing();
    const client = this.clients.forIntegration(integration, () => connectionOf(integration.settings, integration.secret, integration.flavour));
    // Read Jira before the transaction: nothing may wait on the network while rows are locked.
    const issue = await client.getIssue(key.toUpperCase(), ['summary', 'status', 'assignee', 'fixVersions', 'updated']);
    if (!issue) throw notFound('JIRA_ISSUE_NOT_FOUND', `Jira issue '${key}' not found`);
    const snapshot = snapshotOf(issue, client.browseUrl(issue.key));
    return inTransaction(this.dataSource, async (m) => {
      const group = await lockGroup(this.groups, m, projectId, fingerprint);
      // Not created through a route: the issue may be in any project the account can see.
      const row = await this.linked.link(m, projectId, group.id, snapshot, null);
      await this.activity.record(m, { projectId, fingerprint, kind: 'ticket.linked', source: 'api', detail: `Linked to existing Jira issue ${issue.key}`, data: { key: issue.key, id: issue.id } });
      return { key: row.issueKey, id: row.issueId, url: row.url, status: row.status, statusCategory: row.statusCategory, route: null };
    });
  }
}
