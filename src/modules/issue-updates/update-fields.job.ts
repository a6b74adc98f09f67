import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ErrorGroupEntity } from '@app/database/entities';
import { GroupQueryRepository } from '@app/database/repositories/group-queries.repository';
import { IssueUpdateRepository } from '@app/database/repositories/issue-update.repository';
import { JiraIssueRepository } from '@app/database/repositories/jira-issue.repository';
import { ProjectRepository } from '@app/database/repositories/project.repository';
import { JobHandler } from '@app/queue/job-handler.decorator';
import { JobPayloads } from '@app/queue/job-kinds';
import { PermanentJobError, RetryLaterError } from '@app/queue/job-errors';
import { HandlesJob, JobContext } from '@app/queue/job-types';
import { ActivityService } from '@app/modules/activity/activity.service';
import { JiraClientFactory } from '@app/modules/jira/jira-client.factory';
import { integrationClient, JiraIntegrationService } from '@app/modules/jira-settings/jira-integration.service';
import { classifyJiraFailure, isWait, jiraErrorDetail, permissionRefusalActivity } from '@app/modules/tickets/creation/jira-failure';
import { toTemplateGroup } from '@app/modules/tickets/creation/template-group';
import { FieldMetadataService } from '@app/modules/tickets/metadata/field-metadata.service';
import { IssueTypeNotFoundError } from '@app/modules/tickets/metadata/issue-metadata';
import { renderUpdateFields } from './render-update-fields';

/** Activity kind of an update Jira refused or the settings could not render. */
export const UPDATE_FAILED = 'jira.update-failed';

/**
 * Writes settings.updates.fields to a group's issue with one edit (PUT issue/{key}), rendered from the group as it
 * is when the job runs. Coalesced: the ingest statements queue one job per group (dedupe key) due an interval after
 * the issue's last write. The job starts the next interval and gives up its dedupe key before it reads the group,
 * waiting for ingest transactions still holding the group's row: a change it does not see queues the next job, due
 * when the interval is over, so the last state always lands. An edit that would write what was written last is not
 * sent. A refusal fails this job only (its own kind: ticket creation never waits for it) and says why in the activity log.
 */
@Injectable()
@JobHandler('jira.fields')
export class UpdateFieldsJob implements HandlesJob<'jira.fields'> {
  constructor(
    private readonly groups: GroupQueryRepository,
    private readonly issues: JiraIssueRepository,
    private readonly projects: ProjectRepository,
    private readonly updates: IssueUpdateRepository,
    private readonly integrations: JiraIntegrationService,
    private readonly clients: JiraClientFactory,
    private readonly metadata: FieldMetadataService,
    private readonly activity: ActivityService,
  ) {}

  async handle(p: JobPayloads['jira.fields'], ctx: JobContext): Promise<void> {
    const queued = await this.groups.findById(p.groupId);
    if (!queued?.ticketRef) return;
    const integration = await this.integrations.find(queued.projectId).catch((err: unknown) => {
      throw classifyJiraFailure(err);
    });
    const settings = integration?.settings;
    if (!integration || !settings?.enabled || settings.updates.fields.length === 0) return;
    const written = await this.updates.fieldsWritten(queued.ticketRef, settings.updates.minIntervalMinutes);
    if (!written) return;
    if (written.waitMs > 0) throw new RetryLaterError(`the issue was updated less than ${settings.updates.minIntervalMinutes} min ago`, written.waitMs);
    await this.updates.stampWriteStarted(queued.ticketRef);
    await ctx.releaseDedupe();
    await this.updates.waitForGroupWriters(queued.id);
    const group = await this.groups.findById(p.groupId);
    const issue = group?.ticketRef ? await this.issues.findById(group.ticketRef) : null;
    if (!group || !issue) return;
    try {
      const client = integrationClient(this.clients, integration);
      const meta = await this.metadata.get(integration, client, settings);
      const project = await this.projects.getById(group.projectId);
      const rendered = renderUpdateFields(settings.updates.fields, toTemplateGroup(group, project), meta.fields, meta.flavour, settings.valueMaps);
      if (rendered.errors.length > 0) {
        const detail = `Jira issue ${issue.issueKey} not updated: ${rendered.errors.map((e) => `${e.field}: ${e.message}`).join('; ')}`;
        return await this.fail(ctx, group, detail, { errors: rendered.errors });
      }
      const hash = createHash('sha256').update(JSON.stringify(rendered.fields)).digest('hex');
      if (hash === written.hash || Object.keys(rendered.fields).length === 0) return;
      await client.editIssue(issue.issueId, { fields: rendered.fields });
      await ctx.complete((m) => this.updates.recordWritten(m, issue.id, hash));
    } catch (err) {
      if (err instanceof RetryLaterError || err instanceof PermanentJobError) throw err;
      if (err instanceof IssueTypeNotFoundError) return this.fail(ctx, group, `Jira issue ${issue.issueKey} not updated: ${err.message}`);
      const next = classifyJiraFailure(err);
      if (isWait(next) || !(next instanceof PermanentJobError || ctx.isLastAttempt)) throw next;
      const { message, data } = jiraErrorDetail(err);
      const detail = `Jira issue ${issue.issueKey} not updated: ${message}`;
      const refusal = permissionRefusalActivity(err, group);
      await this.fail(ctx, group, detail, data, refusal && { ...refusal, detail });
    }
  }

  /** Fails the job for good (listed under failures, retryable there) and says why in the activity log. */
  private async fail(ctx: JobContext, group: ErrorGroupEntity, detail: string, data?: Record<string, unknown>, refusal?: ReturnType<typeof permissionRefusalActivity>): Promise<void> {
    const where = { projectId: group.projectId, fingerprint: group.fingerprint };
    await ctx.fail(detail, (m) => this.activity.record(m, refusal ?? { ...where, kind: UPDATE_FAILED, source: 'worker', detail, data: data ?? null }));
  }
}
