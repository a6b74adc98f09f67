import { Injectable } from '@nestjs/common';
import { GroupQueryRepository } from '@app/database/repositories/group-queries.repository';
import { JiraIssueRepository } from '@app/database/repositories/jira-issue.repository';
import { JobHandler } from '@app/queue/job-handler.decorator';
import { JobPayloads } from '@app/queue/job-kinds';
import { PermanentJobError, RetryLaterError } from '@app/queue/job-errors';
import { HandlesJob, JobContext } from '@app/queue/job-types';
import { ActivityService } from '@app/modules/activity/activity.service';
import { carriesMarker, findComment, milestoneMarker } from '@app/modules/jira/client';
import { JiraClientFactory } from '@app/modules/jira/jira-client.factory';
import { integrationClient, JiraIntegrationService } from '@app/modules/jira-settings/jira-integration.service';
import { classifyJiraFailure, isWait, jiraErrorDetail, permissionRefusalActivity } from '@app/modules/tickets/creation/jira-failure';
import { milestoneComment } from './milestone-comment';

/**
 * Comments once on a group's issue that its count crossed a milestone. The crossing is queued once, by the ingest
 * statement that crossed it (IssueUpdateRepository); the comment carries a marker, and every run reads the issue's
 * comments first, so a run after a lost answer or a crash does not comment again.
 */
@Injectable()
@JobHandler('jira.milestone')
export class MilestoneCommentJob implements HandlesJob<'jira.milestone'> {
  constructor(
    private readonly groups: GroupQueryRepository,
    private readonly issues: JiraIssueRepository,
    private readonly integrations: JiraIntegrationService,
    private readonly clients: JiraClientFactory,
    private readonly activity: ActivityService,
  ) {}

  async handle(p: JobPayloads['jira.milestone'], ctx: JobContext): Promise<void> {
    const group = await this.groups.findById(p.groupId);
    if (!group?.ticketRef) return;
    const issue = await this.issues.findById(group.ticketRef);
    if (!issue) return;
    const where = { projectId: group.projectId, fingerprint: group.fingerprint };
    try {
      const integration = await this.integrations.find(group.projectId);
      if (!integration?.settings.enabled) return;
      const client = integrationClient(this.clients, integration);
      const marker = milestoneMarker(group.id, p.milestone);
      if (await findComment(client, issue.issueId, (text) => carriesMarker(text, marker))) return;
      await client.addComment(issue.issueId, milestoneComment({ milestone: p.milestone, firstSeen: group.firstSeen, lastSeen: group.lastSeen, marker }));
      await ctx.complete((m) =>
        this.activity.record(m, { ...where, kind: 'jira.commented', source: 'worker', detail: `Commented on ${issue.issueKey}: ${p.milestone} occurrences reached` }),
      );
    } catch (err) {
      if (err instanceof RetryLaterError || err instanceof PermanentJobError) throw err;
      const next = classifyJiraFailure(err);
      if (isWait(next) || !(next instanceof PermanentJobError || ctx.isLastAttempt)) throw next;
      const { message, data } = jiraErrorDetail(err);
      const detail = `No milestone comment on ${issue.issueKey} (${p.milestone} occurrences): ${message}`;
      await ctx.fail(detail, (m) =>
        this.activity.record(m, { ...(permissionRefusalActivity(err, where) ?? { ...where, kind: 'jira.comment-failed', source: 'worker', data: data ?? null }), detail }),
      );
    }
  }
}
