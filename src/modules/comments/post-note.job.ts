import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { GroupCommentRepository } from '@app/database/repositories/group-comment.repository';
import { GroupQueryRepository } from '@app/database/repositories/group-queries.repository';
import { JiraIssueRepository } from '@app/database/repositories/jira-issue.repository';
import { JobHandler } from '@app/queue/job-handler.decorator';
import { JobPayloads } from '@app/queue/job-kinds';
import { PermanentJobError, RetryLaterError } from '@app/queue/job-errors';
import { HandlesJob } from '@app/queue/job-types';
import { ActivityService } from '@app/modules/activity/activity.service';
import { findComment, splitMarker, withMarker } from '@app/modules/jira/client';
import { parseJiraDate } from '@app/modules/sync/inbound/parse-issue';
import { JiraClientFactory } from '@app/modules/jira/jira-client.factory';
import { integrationClient, JiraIntegrationService } from '@app/modules/jira-settings/jira-integration.service';
import { classifyJiraFailure, permissionRefusalActivity } from '@app/modules/tickets/creation/jira-failure';

/**
 * Posts a note to its group's Jira issue, exactly once. The comment carries the note's marker; before
 * posting, the issue's comments are searched for it, so a retry after a lost answer (or a crash before the
 * id was stored) finds the comment instead of posting a second. The stored Jira id, and the marker until
 * then, let the comment's webhook update the note rather than add a Jira comment beside it.
 */
@Injectable()
@JobHandler('comment.post')
export class PostNoteJob implements HandlesJob<'comment.post'> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly comments: GroupCommentRepository,
    private readonly groups: GroupQueryRepository,
    private readonly issues: JiraIssueRepository,
    private readonly integrations: JiraIntegrationService,
    private readonly clients: JiraClientFactory,
    private readonly activity: ActivityService,
  ) {}

  async handle({ commentId }: JobPayloads['comment.post']): Promise<void> {
    const note = await this.comments.findNote(commentId);
    if (!note || note.jiraCommentId || note.deleted) return;
    const group = await this.groups.findById(note.groupId);
    if (!group?.ticketRef) return; // unlinked since: the note stays here
    const integration = await this.integrations.find(group.projectId);
    const s = integration?.settings;
    if (!integration || !s?.enabled || !s.comments.outbound) return;
    const row = await this.issues.findById(group.ticketRef);
    if (!row) return;
    const client = integrationClient(this.clients, integration);
    try {
      const existing = await findComment(client, row.issueId, (text) => splitMarker(text).marker === note.marker);
      const posted = existing ?? (await client.addComment(row.issueId, withMarker(note.body, note.marker)));
      const at = parseJiraDate(posted.updated) ?? parseJiraDate(posted.created) ?? Date.now();
      await this.comments.markPosted(note.id, String(posted.id), new Date(at));
      if (!existing) {
        await this.activity.record(this.dataSource.manager, {
          projectId: group.projectId, fingerprint: group.fingerprint, kind: 'jira.commented', source: 'worker', detail: `Note posted as a comment on ${row.issueKey}`,
        });
      }
    } catch (err) {
      if (err instanceof RetryLaterError || err instanceof PermanentJobError) throw err;
      const refused = permissionRefusalActivity(err, group);
      if (refused) await this.activity.record(this.dataSource.manager, refused);
      throw classifyJiraFailure(err);
    }
  }
}
