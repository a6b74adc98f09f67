import { EntityManager } from 'typeorm';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@app/config/app-config';
import { ErrorGroupEntity } from '@app/database/entities';
import { ProjectRepository } from '@app/database/repositories/project.repository';
import { GroupQueryRepository } from '@app/database/repositories/group-queries.repository';
import { TicketAttemptRepository } from '@app/database/repositories/ticket-attempt.repository';
import { PermanentJobError, RetryLaterError } from '@app/queue/job-errors';
import { JobHandler } from '@app/queue/job-handler.decorator';
import { JobPayloads } from '@app/queue/job-kinds';
import { HandlesJob, JobContext } from '@app/queue/job-types';
import { ActivityService } from '@app/modules/activity/activity.service';
import { JiraClient, JiraIssue } from '@app/modules/jira/client';
import { JiraClientFactory } from '@app/modules/jira/jira-client.factory';
import { integrationClient, JiraIntegrationService } from '@app/modules/jira-settings/jira-integration.service';
import { SecretUnreadableError } from '@app/modules/jira-settings/secrets/secret-problem';
import { LinkedIssuesService, snapshotOf } from '@app/modules/tickets/linking/linked-issues.service';
import { IssueTypeNotFoundError } from '@app/modules/tickets/metadata/issue-metadata';
import { CreationRoute, creationRoute } from './creation-route';
import { classifyJiraFailure, isWait, jiraErrorDetail } from './jira-failure';
import { AffectedVersionsService, VersionNote, versionActivities } from './affected-versions/affected-versions.service';
import { markerJql, ticketMarker } from './marker';
import { IssueFieldsBuilder } from './issue-fields-builder';
import { inFlightWait, JOB_CLAIM } from './create-claim';

const SNAPSHOT_FIELDS = ['summary', 'status', 'assignee', 'fixVersions', 'updated', 'labels'];

/**
 * ` (route mobile)`, and why when the recorded route was gone, for the activity log; nothing for
 * settings without routes, whose entries read as before routes existed.
 */
function routeNote(route: CreationRoute): string {
  if (route.fallback) return ` (route ${route.name}: ${route.fallback})`;
  return route.settings.routes.length > 0 ? ` (route ${route.name})` : '';
}

/**
 * Creates the Jira issue of one group, exactly once.
 *
 * - One unfinished job per group (outbox dedupe key) and one worker per job (claim).
 * - The attempt is recorded on the group *before* POST /issue. A later attempt
 *   (lost answer, crash, timeout) therefore knows Jira may already have the
 *   issue and looks for it by its marker label first. Jira Cloud search is
 *   eventually consistent, so the retry keeps looking until the consistency
 *   window since that attempt has passed, and only then creates again.
 * - Another creator (a backfill run) may hold the group too: the attempt is recorded only if it is still the
 *   one this run read (compare-and-set), and another creator's recent attempt is waited out, not searched for.
 * - Linking the issue and marking the job done commit together.
 */
@Injectable()
@JobHandler('ticket.create')
export class CreateTicketJob implements HandlesJob<'ticket.create'> {
  private readonly logger = new Logger('Tickets');

  constructor(
    private readonly projects: ProjectRepository,
    private readonly groups: GroupQueryRepository,
    private readonly attempts: TicketAttemptRepository,
    private readonly integrations: JiraIntegrationService,
    private readonly clients: JiraClientFactory,
    private readonly issueFields: IssueFieldsBuilder,
    private readonly linked: LinkedIssuesService,
    private readonly activity: ActivityService,
    private readonly affectedVersions: AffectedVersionsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  handle(payload: JobPayloads['ticket.create'], ctx: JobContext): Promise<void> {
    return this.run(payload, ctx);
  }

  private async run(payload: JobPayloads['ticket.create'], ctx: JobContext): Promise<void> {
    const group = await this.groups.findById(payload.groupId);
    if (!group || group.ticketRef) return; // deleted, or linked meanwhile (by a person or an earlier attempt)
    const project = await this.projects.getById(group.projectId);
    const integration = await this.integrations.find(group.projectId).catch((err: unknown) => {
      if (err instanceof SecretUnreadableError) return err;
      throw err;
    });
    if (integration instanceof SecretUnreadableError) return this.fail(ctx, group, `No ticket created: ${integration.message}`);
    if (!integration || !integration.settings.enabled) {
      return this.fail(ctx, group, 'No ticket created: the Jira integration is not configured or disabled');
    }
    const client = integrationClient(this.clients, integration);
    const marker = ticketMarker(project.key, group.fingerprint);
    // The route decides the Jira project, issue type and templates; a retry keeps the first attempt's.
    const route = creationRoute(integration.settings, group);
    const routed = { route: route.name, ...(route.fallback ? { routeFallback: route.fallback } : {}) };
    let attemptedNow = false;
    try {
      // Another creator (a backfill) sent its request moments ago: it links the issue when answered.
      const inFlight = inFlightWait(group, JOB_CLAIM);
      if (inFlight > 0) throw new RetryLaterError(`waiting ${inFlight} ms for a create request another creator sent`, inFlight);
      if (group.ticketCreateAttemptedAt) {
        const found = await this.findByMarker(client, route.searchProject, marker);
        if (found) return await this.linkCreated(ctx, group, client, found, route, 'ticket.linked', `Found the issue ${found.key} created by an earlier attempt`);
        const wait = await this.consistencyWait(client, group.ticketCreateAttemptedAt);
        if (wait > 0) throw new RetryLaterError(`waiting ${wait} ms for Jira search to show an issue an earlier attempt may have created`, wait);
      }
      const built = await this.issueFields.build(integration, client, project, group, route);
      if (!integration.flavour) await this.integrations.saveFlavour(integration.projectId, built.flavour);
      await this.integrations.rememberSiteUrl(integration, await client.resolveSiteUrl());
      if ('problem' in built) return this.fail(ctx, group, `Ticket not created${routeNote(route)}: ${built.problem}`, { ...built.data, ...routed });
      const { versions } = built;
      // Another creator that read the group as this run did may have sent its request since: read it again.
      if (!(await this.attempts.claim(group.id, route.name, JOB_CLAIM, group.ticketCreateAttemptedAt))) {
        throw new RetryLaterError('another creator sent a create request for this group meanwhile', 1_000);
      }
      attemptedNow = !group.ticketCreateAttemptedAt;
      const { created, notes } = await this.affectedVersions.createIssue(client, built.fields, versions);
      const issue = await this.readBack(client, { id: created.id, key: created.key, fields: {} });
      return await this.linkCreated(ctx, group, client, issue, route, 'ticket.created', `Created Jira issue ${created.key}`, notes);
    } catch (err) {
      if (err instanceof RetryLaterError) throw err;
      if (err instanceof IssueTypeNotFoundError) return this.fail(ctx, group, `Ticket not created${routeNote(route)}: ${err.message}`, routed);
      const next = classifyJiraFailure(err);
      // Credentials that never got this far (no flavour learnt yet) were mistyped, not expired: fail at once as any
      // refusal. Credentials that stopped working make the job wait for a new token instead.
      if (isWait(next) && integration.flavour) {
        // Jira refused the credentials, the create included: the run after the wait need not search first.
        if (attemptedNow) await this.attempts.forget(group.id, JOB_CLAIM);
        throw next;
      }
      if (next instanceof PermanentJobError || isWait(next) || ctx.isLastAttempt) {
        const { message, data } = jiraErrorDetail(err);
        // Jira refused the request outright: nothing was created, so a later try need not search first.
        return this.fail(ctx, group, `Ticket not created${routeNote(route)}: ${message}`, { ...data, ...routed }, next instanceof PermanentJobError || isWait(next));
      }
      throw next;
    }
  }

  private async findByMarker(client: JiraClient, jiraProjectKey: string | null, marker: string): Promise<JiraIssue | undefined> {
    const issues = await client.searchJql(markerJql(jiraProjectKey, marker), { fields: SNAPSHOT_FIELDS, maxIssues: 5 });
    // Oldest first: if a duplicate ever slipped through, every retry links the same one.
    return issues.sort((a, b) => Number(a.id) - Number(b.id))[0];
  }

  /**
   * The create answer has no status (v2 answers id, key and self only): read it, so the group shows
   * "To Do" before any webhook or resync. The issue exists already, so a failed read links it without.
   */
  private async readBack(client: JiraClient, created: JiraIssue): Promise<JiraIssue> {
    try {
      const issue = await client.getIssue(created.id, ['status']);
      return issue ? { ...created, fields: { status: issue.fields?.status } } : created;
    } catch (err) {
      this.logger.warn({ msg: 'could not read the status of a new issue', key: created.key, error: (err as Error).message });
      return created;
    }
  }

  /** Data Center search is consistent at once; Cloud's may lag behind a create. */
  private async consistencyWait(client: JiraClient, attemptedAt: Date): Promise<number> {
    if ((await client.flavour()) !== 'cloud') return 0;
    return Math.max(0, attemptedAt.getTime() + this.config.jiraSearchConsistencyMs - Date.now());
  }

  /** `versionNotes` (what the versions setting left out) commit with the link, so each is written once. */
  private async linkCreated(
    ctx: JobContext, group: ErrorGroupEntity, client: JiraClient, issue: JiraIssue, route: CreationRoute, kind: string, detail: string,
    versionNotes: VersionNote[] = [],
  ): Promise<void> {
    let said = `${detail}${routeNote(route)}`;
    await ctx.complete(async (m) => {
      // A person may have linked the group to another issue while this one was created: their link stays.
      const other = await this.otherLinkedIssue(m, group.id, issue.id);
      if (other) {
        said = `${said}; not linked: the group was linked to ${other} meanwhile`;
        const data = { key: issue.key, id: issue.id, route: route.name, linkedTo: other };
        await this.activity.record(m, { projectId: group.projectId, fingerprint: group.fingerprint, kind, source: 'worker', detail: said, data });
        return;
      }
      await this.linked.link(m, group.projectId, group.id, snapshotOf(issue, client.browseUrl(issue.key)), route.name);
      await this.activity.recordMany(m, [
        {
          projectId: group.projectId, fingerprint: group.fingerprint, kind, source: 'worker', detail: said,
          data: { key: issue.key, id: issue.id, route: route.name, ...(route.fallback ? { routeFallback: route.fallback } : {}) },
        },
        ...versionActivities(group, versionNotes),
      ]);
    });
    this.logger.log({ msg: said, project: group.projectId, fingerprint: group.fingerprint, route: route.name });
  }

  /** The key of the issue the group is linked to when that is not `issueId` (the group's row is locked until commit). */
  private async otherLinkedIssue(m: EntityManager, groupId: string, issueId: string): Promise<string | undefined> {
    const ref = (await this.groups.lockTicketRef(m, groupId))?.ticketRef;
    if (!ref) return undefined;
    const linked = await this.linked.issueOf(m, ref);
    return linked && linked.issueId !== String(issueId) ? linked.issueKey : undefined;
  }

  /** Gives up for good: marks the group and the job failed (listed under failures) and says why in the activity log. */
  private async fail(ctx: JobContext, group: ErrorGroupEntity, detail: string, data?: Record<string, unknown>, nothingCreated = true): Promise<void> {
    await ctx.fail(detail, async (m) => {
      await this.attempts.markTicketFailed(m, group.id, nothingCreated);
      await this.activity.record(m, { projectId: group.projectId, fingerprint: group.fingerprint, kind: 'ticket.failed', source: 'worker', detail, data: data ?? null });
    });
  }
}
