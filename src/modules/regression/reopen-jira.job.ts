import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { GroupQueryRepository } from '@app/database/repositories/group-queries.repository';
import { JiraIssueRepository } from '@app/database/repositories/jira-issue.repository';
import { JobHandler } from '@app/queue/job-handler.decorator';
import { JobPayloads } from '@app/queue/job-kinds';
import { PermanentJobError, RetryLaterError } from '@app/queue/job-errors';
import { HandlesJob, JobContext } from '@app/queue/job-types';
import { ActivityService, NewActivity } from '@app/modules/activity/activity.service';
import { carriesMarker, findComment, regressionMarker } from '@app/modules/jira/client';
import { JiraClientFactory } from '@app/modules/jira/jira-client.factory';
import { integrationClient, JiraIntegrationService } from '@app/modules/jira-settings/jira-integration.service';
import { statusOf } from '@app/modules/sync/inbound/parse-issue';
import { stateForStatus } from '@app/modules/sync/mapping/state-mapping';
import { TransitionWalker } from '@app/modules/sync/workflow/transition-walker';
import { workflowOf } from '@app/modules/sync/workflow/workflow-memory';
import { classifyJiraFailure, permissionRefusal, permissionRefusalActivity } from '@app/modules/tickets/creation/jira-failure';
import { regressionComment } from './regression-comment';

const legacyRegressionMarker = (n: number) => `[crashbridge regression #${n}]`;

/**
 * Tells Jira about a regression: transitions the issue back to the primary
 * `open` status (regression.reopenJira) and comments with the version, counts and
 * link (regression.comment). Both steps check Jira first, so a retry repeats neither.
 */
@Injectable()
@JobHandler('jira.regression')
export class ReopenJiraJob implements HandlesJob<'jira.regression'> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly groups: GroupQueryRepository,
    private readonly issues: JiraIssueRepository,
    private readonly integrations: JiraIntegrationService,
    private readonly clients: JiraClientFactory,
    private readonly activity: ActivityService,
    private readonly walker: TransitionWalker,
  ) {}

  async handle(payload: JobPayloads['jira.regression'], ctx: JobContext): Promise<void> {
    try {
      await this.run(payload, ctx);
    } catch (err) {
      if (err instanceof RetryLaterError || err instanceof PermanentJobError) throw err;
      if (permissionRefusal(err)) await this.recordRefusal(payload.groupId, err);
      throw classifyJiraFailure(err);
    }
  }

  /** A 403 fails the job at once; the activity log says which operation Jira refused. */
  private async recordRefusal(groupId: string, err: unknown): Promise<void> {
    const group = await this.groups.findById(groupId);
    const entry = group && permissionRefusalActivity(err, group);
    if (entry) await this.activity.record(this.dataSource.manager, entry);
  }

  private async run(p: JobPayloads['jira.regression'], ctx: JobContext): Promise<void> {
    const group = await this.groups.findById(p.groupId);
    if (!group?.ticketRef) return;
    const integration = await this.integrations.find(group.projectId);
    const s = integration?.settings;
    if (!integration || !s?.enabled || (!s.regression.reopenJira && !s.regression.comment)) return;
    const row = await this.issues.findById(group.ticketRef);
    if (!row) return;
    const client = integrationClient(this.clients, integration);
    const issue = await client.getIssue(row.issueId, ['status', 'resolution']);
    if (!issue) return;
    const log: NewActivity[] = [];
    const base = { projectId: group.projectId, fingerprint: group.fingerprint, source: 'worker' as const };
    const status = statusOf(issue.fields);
    if (s.regression.reopenJira && status && stateForStatus(status, s.statusMapping) !== 'open') {
      const walked = await this.walker.walk({
        client, integration: workflowOf(group.projectId, issue.key), issueKey: issue.key, from: status, state: 'open', mapping: s.statusMapping, attempt: ctx.attempt,
        subject: { projectId: group.projectId, fingerprint: group.fingerprint },
      });
      if (walked.kind === 'arrived') {
        log.push({ ...base, kind: 'jira.reopened', detail: `Jira issue ${issue.key} reopened ('${walked.status.name}') after regression #${p.regressionNo}` });
      } else {
        log.push({ ...base, kind: 'jira.transition-missing', detail: `No Jira transition from '${status.name}' reopens ${issue.key}; map an open status under Status mapping` });
      }
    }
    if (s.regression.comment) {
      const marker = regressionMarker(group.id, p.regressionNo);
      const legacy = legacyRegressionMarker(p.regressionNo);
      if (!(await findComment(client, issue.key, (text) => carriesMarker(text, marker) || text.includes(legacy)))) {
        const text = regressionComment({ version: p.version, resolvedUntil: p.resolvedUntil, count: p.count, total: group.count, link: group.link, marker });
        await client.addComment(issue.key, text);
        log.push({ ...base, kind: 'jira.commented', detail: `Commented on ${issue.key} about regression #${p.regressionNo}` });
      }
    }
    await this.activity.recordMany(this.dataSource.manager, log);
  }
}
