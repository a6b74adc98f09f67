import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { HttpStatus } from '@nestjs/common';
import { badRequest, DomainError, notFound } from '@app/common/errors/domain-error';
import { GroupQueryRepository } from '@app/database/repositories/group-queries.repository';
import { TicketView } from '@app/database/repositories/jira-issue.rows';
import { inTransaction } from '@app/database/transaction';
import { OutboxService } from '@app/queue/outbox.service';
import { ActivityService } from '@app/modules/activity/activity.service';
import { isJiraError, JiraClient, JiraIssue } from '@app/modules/jira/client';
import { InteractiveJiraClients } from '@app/modules/jira/interactive-jira-client';
import { connectionOf, JiraIntegrationService } from '@app/modules/jira-settings/jira-integration.service';
import { lockGroup } from './group-lookup';
import { LinkedIssuesService, snapshotOf } from './linked-issues.service';
import { integrationMissing } from './request-ticket.use-case';
import { queueBacklink } from './backlink';

/** Links a group to an issue that already exists in Jira (checked there first). */
@Injectable()
export class LinkExistingIssueUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly groups: GroupQueryRepository,
    private readonly integrations: JiraIntegrationService,
    private readonly clients: InteractiveJiraClients,
    private readonly linked: LinkedIssuesService,
    private readonly activity: ActivityService,
    private readonly outbox: OutboxService,
  ) {}

  async execute(projectId: string, fingerprint: string, key: string): Promise<TicketView> {
    const integration = await this.integrations.find(projectId, undefined, 'api');
    if (!integration || !integration.settings.enabled) throw integrationMissing();
    // Someone waits on the answer: the short retry budget of interactive calls.
    const conn = connectionOf(integration.settings, integration.secret, integration.flavour);
    const client = this.clients.create({ ...conn, siteUrl: conn.siteUrl ?? integration.siteUrl ?? undefined });
    // Read Jira before the transaction: nothing may wait on the network while rows are locked.
    const issue = await readIssue(client, key.toUpperCase());
    if (!issue) throw notFound('JIRA_ISSUE_NOT_FOUND', `Jira issue '${key}' not found`);
    const snapshot = snapshotOf(issue, client.browseUrl(issue.key));
    return inTransaction(this.dataSource, async (m) => {
      const group = await lockGroup(this.groups, m, projectId, fingerprint);
      // Not created through a route: the issue may be in any project the account can see.
      const row = await this.linked.link(m, projectId, group.id, snapshot, null);
      await this.activity.record(m, { projectId, fingerprint, kind: 'ticket.linked', source: 'api', detail: `Linked to existing Jira issue ${issue.key}`, data: { key: issue.key, id: issue.id } });
      // Linked anew (not the issue it already had): Jira hears of it once, when comments go out.
      if (group.ticketRef !== row.id) await queueBacklink(m, this.outbox, integration.settings, projectId, group.id, issue.key);
      return { key: row.issueKey, id: row.issueId, url: row.url, status: row.status, statusCategory: row.statusCategory, route: null };
    });
  }
}

/** The issue to link, or null when Jira has none by that key; Jira's failures are the caller's 502 (or 400 for a refused host), never a 5xx of ours. */
async function readIssue(client: JiraClient, key: string): Promise<JiraIssue | null> {
  try {
    return await client.getIssue(key, ['summary', 'status', 'assignee', 'fixVersions', 'updated']);
  } catch (err) {
    if (!isJiraError(err)) throw err;
    if (err.kind === 'egress_denied') throw badRequest('JIRA_HOST_REFUSED', `apiUrl is refused: ${err.message}`, 'apiUrl');
    throw new DomainError('JIRA_READ_FAILED', HttpStatus.BAD_GATEWAY, `Jira could not be read to check issue ${key}: ${err.message}`);
  }
}
