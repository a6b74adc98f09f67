import { Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ErrorGroupEntity, JiraIssueEntity } from '../../../database/entities';
import { RetryLaterError } from '../../../queue/job-errors';
import { JobContext } from '../../../queue/job-types';
import { JobRegistry } from '../../../queue/job-registry';
import { ActivityService, NewActivity } from '../../activity/activity.service';
import { JiraClient, JiraIssue } from '../../jira/client';
import { JiraClientFactory } from '../../jira/jira-client.factory';
import { connectionOf, JiraIntegrationService } from '../../settings/jira-integration.service';
import { JiraIntegration } from '../../settings/jira-settings';
import { classifyJiraFailure } from '../../tickets/creation/jira-failure';
import { ApplyJiraChangeService } from '../inbound/apply-jira-change.service';
import { JiraChange } from '../inbound/jira-change';
import { changeFromIssue } from '../inbound/parse-issue';
import { pickTransition } from '../mapping/pick-transition';
import { stateForStatus } from '../mapping/state-mapping';
import { isSamePerson, mappedJiraIdentity } from '../mapping/user-mapping';
import './outbound-sync.service';

const ISSUE_FIELDS = ['status', 'assignee', 'updated', 'fixVersions'];

/**
 * Pushes a group's state and assignee to its Jira issue: a transition to the
 * mapped status and an assignment, each skipped when Jira already matches.
 * When Jira was changed after the change here (and we missed that event), Jira
 * wins: its values are applied here instead (last writer wins, both sides agree).
 */
@Injectable()
export class OutboundSyncJob implements OnModuleInit {
  constructor(
    private readonly registry: JobRegistry,
    private readonly dataSource: DataSource,
    private readonly integrations: JiraIntegrationService,
    private readonly clients: JiraClientFactory,
    private readonly applier: ApplyJiraChangeService,
    private readonly activity: ActivityService,
  ) {}

  onModuleInit(): void {
    this.registry.register('jira.sync', (payload, ctx) => this.run(payload.groupId, ctx));
  }

  private async run(groupId: string, ctx: JobContext): Promise<void> {
    const group = await this.dataSource.getRepository(ErrorGroupEntity).findOneBy({ id: groupId });
    if (!group?.ticketRef) return;
    const integration = await this.integrations.find(group.projectId);
    if (!integration?.settings.enabled || !integration.settings.sync.outbound) return;
    const issueRow = await this.dataSource.getRepository(JiraIssueEntity).findOneBy({ id: group.ticketRef });
    if (!issueRow) return;
    const client = this.clients.forIntegration(integration, () => connectionOf(integration.settings, integration.secret, integration.flavour));
    try {
      const issue = await client.getIssue(issueRow.issueId, ISSUE_FIELDS);
      if (!issue) {
        await this.applyFromJira(group.projectId, integration, { id: issueRow.issueId, key: issueRow.issueKey, fields: {} }, true);
        return;
      }
      const jiraUpdated = issue.fields.updated ? Date.parse(issue.fields.updated) : 0;
      const lastApplied = issueRow.lastEventAt?.getTime() ?? 0;
      if (group.localChangedAt && jiraUpdated > group.localChangedAt.getTime() && jiraUpdated > lastApplied) {
        await this.applyFromJira(group.projectId, integration, issue, false);
        return;
      }
      const log: NewActivity[] = [];
      await this.pushState(client, integration, group, issue, log);
      await this.pushAssignee(client, integration, group, issue, log);
      await this.activity.recordMany(this.dataSource.manager, log);
    } catch (err) {
      if (err instanceof RetryLaterError) throw err;
      throw classifyJiraFailure(err);
    }
    // A change made here while this job ran is pushed by running again.
    const now = await this.dataSource.getRepository(ErrorGroupEntity).findOneBy({ id: groupId });
    if (now && now.localChangedAt?.getTime() !== group.localChangedAt?.getTime()) throw new RetryLaterError('group changed while syncing', 0);
  }

  private async pushState(client: JiraClient, integration: JiraIntegration, g: ErrorGroupEntity, issue: JiraIssue, log: NewActivity[]): Promise<void> {
    const status = issue.fields.status;
    const mapping = integration.settings.statusMapping;
    if (status && stateForStatus({ name: status.name, category: status.statusCategory?.key }, mapping) === g.state) return;
    const transitions = await client.getTransitions(issue.key);
    const t = pickTransition(transitions, g.state, mapping);
    const base = { projectId: g.projectId, fingerprint: g.fingerprint, source: 'worker' as const };
    if (!t) {
      log.push({ ...base, kind: 'jira.transition-missing', detail: `No Jira transition from '${status?.name}' leads to a status for '${g.state}'; map one under Status mapping` });
      return;
    }
    await client.transitionIssue(issue.key, t.id);
    log.push({ ...base, kind: 'jira.transitioned', detail: `Jira issue ${issue.key} moved to '${t.to.name}' (state ${g.state})` });
  }

  private async pushAssignee(client: JiraClient, integration: JiraIntegration, g: ErrorGroupEntity, issue: JiraIssue, log: NewActivity[]): Promise<void> {
    const flavour = await client.flavour();
    const s = integration.settings;
    const base = { projectId: g.projectId, fingerprint: g.fingerprint, source: 'worker' as const };
    let target: { accountId: string } | { name: string } | null = null;
    if (g.assignee) {
      target = mappedJiraIdentity(g.assignee, s.userMapping, flavour) ?? (s.autoMapUsersByEmail && g.assignee.includes('@') ? await client.findUserByEmail(g.assignee) : null) ?? null;
      if (!target) {
        log.push({ ...base, kind: 'assignee.unmapped', detail: `'${g.assignee}' has no Jira user; add them under User mapping. The Jira assignee was left as it is` });
        return;
      }
    }
    if (isSamePerson(issue.fields.assignee as never, target)) return;
    await client.assignIssue(issue.key, target);
    log.push({ ...base, kind: 'jira.assigned', detail: g.assignee ? `Jira issue ${issue.key} assigned to ${g.assignee}` : `Jira issue ${issue.key} unassigned` });
  }

  private async applyFromJira(projectId: string, integration: JiraIntegration, issue: JiraIssue, deleted: boolean): Promise<void> {
    const change: JiraChange = deleted
      ? { kind: 'deleted', issueId: issue.id, issueKey: issue.key, timestamp: Date.now(), changedFields: [] }
      : changeFromIssue(issue);
    await this.dataSource.transaction((m) => this.applier.apply(m, projectId, change, integration.settings, 'resync'));
  }
}
