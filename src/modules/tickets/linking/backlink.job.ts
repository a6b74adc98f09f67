import { Inject, Injectable } from '@nestjs/common';
import { groupPageUrl } from '@app/common/http/group-page-url';
import { APP_CONFIG, AppConfig } from '@app/config/app-config';
import { GroupQueryRepository } from '@app/database/repositories/group-queries.repository';
import { ProjectRepository } from '@app/database/repositories/project.repository';
import { JobHandler } from '@app/queue/job-handler.decorator';
import { JobPayloads } from '@app/queue/job-kinds';
import { HandlesJob, JobContext } from '@app/queue/job-types';
import { ActivityService } from '@app/modules/activity/activity.service';
import { backlinkMarker, carriesMarker, findComment } from '@app/modules/jira/client';
import { JiraClientFactory } from '@app/modules/jira/jira-client.factory';
import { integrationClient, JiraIntegrationService } from '@app/modules/jira-settings/jira-integration.service';
import { classifyJiraFailure, isWait, jiraErrorDetail } from '@app/modules/tickets/creation/jira-failure';
import { PermanentJobError } from '@app/queue/job-errors';
import { commentsOutbound } from './backlink';

/** The marker of backlink comments posted by earlier versions: a retry still finds theirs. */
const legacyBacklinkMarker = (groupId: string) => `[crashbridge-link:${groupId}]`;

/**
 * Comments once on an issue linked by hand or by import, naming the group with a link to its page. The comment carries a marker and the
 * issue's comments are read first, so a retry after a lost answer does not post it twice.
 */
@Injectable()
@JobHandler('jira.backlink')
export class BacklinkJob implements HandlesJob<'jira.backlink'> {
  constructor(
    private readonly groups: GroupQueryRepository,
    private readonly projects: ProjectRepository,
    private readonly integrations: JiraIntegrationService,
    private readonly clients: JiraClientFactory,
    private readonly activity: ActivityService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  handle = async ({ groupId, issueKey }: JobPayloads['jira.backlink'], ctx: JobContext): Promise<void> => {
    const group = await this.groups.findById(groupId);
    const integration = group ? await this.integrations.find(group.projectId) : null;
    if (!group || !integration || !integration.settings.enabled || !commentsOutbound(integration.settings)) return ctx.complete(async () => undefined);
    const project = await this.projects.getById(group.projectId);
    const client = integrationClient(this.clients, integration);
    const marker = backlinkMarker(group.id);
    try {
      if (!(await findComment(client, issueKey, (text) => carriesMarker(text, marker) || text.includes(legacyBacklinkMarker(group.id))))) {
        const page = groupPageUrl(this.config.publicUrl, project.key, group.fingerprint);
        await client.addComment(issueKey, `Linked to the crashbridge group ${group.fingerprint} of project ${project.key}: ${page} ${marker}`);
      }
    } catch (err) {
      const next = classifyJiraFailure(err);
      if (isWait(next) || !(next instanceof PermanentJobError || ctx.isLastAttempt)) throw next;
      const detail = `No backlink comment on ${issueKey}: ${jiraErrorDetail(err).message}`;
      return ctx.fail(detail, (m) => this.activity.record(m, { projectId: group.projectId, fingerprint: group.fingerprint, kind: 'ticket.backlink-failed', source: 'worker', detail }));
    }
    await ctx.complete(async () => undefined);
  };
}
