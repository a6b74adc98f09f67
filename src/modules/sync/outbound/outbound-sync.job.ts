import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ErrorGroupEntity, JiraAssignee, JiraIssueEntity } from '@app/database/entities';
import { GroupQueryRepository } from '@app/database/repositories/group-queries.repository';
import { JiraIssueRepository } from '@app/database/repositories/jira-issue.repository';
import { PermanentJobError, RetryLaterError } from '@app/queue/job-errors';
import { JobHandler } from '@app/queue/job-handler.decorator';
import { JobPayloads } from '@app/queue/job-kinds';
import { HandlesJob, JobContext } from '@app/queue/job-types';
import { ActivityService, NewActivity } from '@app/modules/activity/activity.service';
import { isJiraError, JiraClient, JiraIssue, JiraUserId } from '@app/modules/jira/client';
import { JiraClientFactory } from '@app/modules/jira/jira-client.factory';
import { integrationClient, JiraIntegrationService } from '@app/modules/jira-settings/jira-integration.service';
import { JiraIntegration } from '@app/modules/jira-settings/jira-settings';
import { classifyJiraFailure, permissionRefusalActivity } from '@app/modules/tickets/creation/jira-failure';
import { ApplyJiraChangeService } from '@app/modules/sync/inbound/apply-jira-change.service';
import { JiraChange } from '@app/modules/sync/inbound/jira-change';
import { changeFromIssue, parseJiraDate, statusOf } from '@app/modules/sync/inbound/parse-issue';
import { stateForStatus } from '@app/modules/sync/mapping/state-mapping';
import { isSamePerson, mappedJiraIdentity, userForJiraPerson } from '@app/modules/sync/mapping/user-mapping';
import { TransitionWalker } from '@app/modules/sync/workflow/transition-walker';
import { workflowOf } from '@app/modules/sync/workflow/workflow-memory';

const ISSUE_FIELDS = ['status', 'resolution', 'assignee', 'updated', 'fixVersions'];
/** Rounds one run makes while people keep changing the group, before it hands over to a later attempt. */
const SYNC_ROUNDS = 5;

class ChangedWhileSyncing extends Error {}

/**
 * Pushes a group's state and assignee to its Jira issue: a transition to the
 * mapped status and an assignment, each skipped when Jira already matches.
 *
 * Jira changes not applied here yet (a late or missed webhook) are applied first,
 * field by field as a webhook would be (ApplyJiraChangeService): a field only Jira
 * changed is taken from Jira rather than overwritten, and a field changed on both
 * sides goes to the later change (last writer wins, both sides agree). What is left
 * different was changed here and is pushed; the snapshot then records what we
 * pushed, so the echo of our own update changes nothing here.
 */
@Injectable()
@JobHandler('jira.sync')
export class OutboundSyncJob implements HandlesJob<'jira.sync'> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly groups: GroupQueryRepository,
    private readonly issues: JiraIssueRepository,
    private readonly integrations: JiraIntegrationService,
    private readonly clients: JiraClientFactory,
    private readonly applier: ApplyJiraChangeService,
    private readonly activity: ActivityService,
    private readonly walker: TransitionWalker,
  ) {}

  handle(payload: JobPayloads['jira.sync'], ctx: JobContext): Promise<void> {
    return this.run(payload.groupId, ctx);
  }

  private async run(groupId: string, ctx: JobContext): Promise<void> {
    for (let round = 1; ; round++) {
      const pushedFor = await this.syncOnce(groupId, ctx);
      if (pushedFor === 'nothing') return;
      // A change made here while this round ran is pushed by another round. Checked under the group's lock in the
      // transaction that completes the job: a change committing after that finds the job done and queues a new one.
      const changed = new ChangedWhileSyncing();
      try {
        await ctx.complete(async (m) => {
          const row = await this.groups.lockLocalChange(m, groupId);
          const now = row?.localChangedAt ? new Date(row.localChangedAt).getTime() : undefined;
          if (row && now !== pushedFor) throw changed;
        });
        return;
      } catch (err) {
        if (err !== changed) throw err;
        // Not a retry through the queue (each costs an attempt and a trip through the relay): a few rounds here.
        if (round >= SYNC_ROUNDS) throw new RetryLaterError('group changed while syncing', 250);
      }
    }
  }

  /** One round: Jira's unseen changes in, then what changed here out. Returns the local change time it pushed. */
  private async syncOnce(groupId: string, ctx: JobContext): Promise<number | undefined | 'nothing'> {
    let group = await this.groups.findById(groupId);
    if (!group?.ticketRef) return 'nothing';
    const integration = await this.integrations.find(group.projectId).catch((err: unknown) => {
      throw classifyJiraFailure(err); // an unreadable token: permanent, not a retry per change
    });
    if (!integration?.settings.enabled || !integration.settings.sync.outbound) return 'nothing';
    let issueRow = await this.issues.findById(group.ticketRef);
    if (!issueRow) return 'nothing';
    const client = integrationClient(this.clients, integration);
    try {
      const issue = await client.getIssue(issueRow.issueId, ISSUE_FIELDS);
      if (!issue) {
        await this.applyFromJira(group.projectId, integration, { id: issueRow.issueId, key: issueRow.issueKey, fields: {} }, true);
        return 'nothing';
      }
      const jiraUpdated = parseJiraDate(issue.fields.updated) ?? 0; // Jira's offset form (+0000) is not ISO 8601
      if (jiraUpdated > (issueRow.lastEventAt?.getTime() ?? 0)) await this.applyFromJira(group.projectId, integration, issue, false);
      // Read again, the snapshot before the group: a webhook or a resync may have applied a Jira change since
      // the group was first read, and a group newer than its snapshot can only be newer by a change here.
      issueRow = await this.issues.findById(issueRow.id);
      group = await this.groups.findById(groupId);
      if (!group?.ticketRef || !issueRow || group.ticketRef !== issueRow.id) return 'nothing';
      const log: NewActivity[] = [];
      const status = await this.pushState(client, integration, group, issueRow, issue, log, ctx);
      const assignee = await this.pushAssignee(client, integration, group, issueRow, issue, log);
      await this.issues.recordPushed(issueRow, status, assignee, status?.seenAt);
      await this.activity.recordMany(this.dataSource.manager, log);
      return group.localChangedAt?.getTime();
    } catch (err) {
      if (err instanceof RetryLaterError || err instanceof PermanentJobError) throw err;
      const refused = group && permissionRefusalActivity(err, group);
      if (refused) await this.activity.record(this.dataSource.manager, refused);
      throw classifyJiraFailure(err);
    }
  }

  /**
   * Transitions the issue when its status maps to another state and the state was changed here (it differs from
   * the snapshot; otherwise Jira changed it and that change comes in by webhook or resync). Returns the new status,
   * and after a walk of several moves Jira's time after the last one (the echoes of the moves between are older).
   */
  private async pushState(
    client: JiraClient,
    integration: JiraIntegration,
    g: ErrorGroupEntity,
    snapshot: JiraIssueEntity,
    issue: JiraIssue,
    log: NewActivity[],
    ctx: JobContext,
  ): Promise<{ name: string; category?: string; seenAt?: Date } | undefined> {
    const status = statusOf(issue.fields);
    const mapping = integration.settings.statusMapping;
    if (status && stateForStatus(status, mapping) === g.state) return undefined;
    if (snapshot.status && stateForStatus({ name: snapshot.status, category: snapshot.statusCategory ?? undefined }, mapping) === g.state) return undefined;
    if (!status) return undefined;
    const base = { projectId: g.projectId, fingerprint: g.fingerprint, source: 'worker' as const };
    const outcome = await this.walker.walk({
      client, integration: workflowOf(g.projectId, issue.key), issueKey: issue.key, from: status, state: g.state, mapping, attempt: ctx.attempt,
      subject: { projectId: g.projectId, fingerprint: g.fingerprint },
      // A move on the way is recorded before it is made, so its echo reads as ours and does not move the group.
      onIntermediate: (s) => this.issues.recordPushed(snapshot, s, undefined),
    });
    if (outcome.kind === 'no-path') {
      const via = outcome.hops.length ? ` (stopped at '${outcome.status.name}')` : '';
      log.push({ ...base, kind: 'jira.transition-missing', detail: `No Jira transition from '${status.name}' leads to a status for '${g.state}'${via}; map one under Status mapping` });
      return outcome.hops.length ? outcome.status : undefined;
    }
    if (!outcome.hops.length) return undefined;
    const path = outcome.hops.length > 1 ? ` via ${outcome.hops.slice(0, -1).map((t) => `'${t.to.name}'`).join(', ')}` : '';
    log.push({ ...base, kind: 'jira.transitioned', detail: `Jira issue ${issue.key} moved to '${outcome.status.name}'${path} (state ${g.state})` });
    const seenAt = parseJiraDate(outcome.updated);
    return { ...outcome.status, ...(seenAt ? { seenAt: new Date(seenAt) } : {}) };
  }

  /**
   * Assigns the issue when its assignee is someone else and the assignee was changed here (as for the state).
   * Returns who it was assigned to (null: unassigned).
   */
  private async pushAssignee(client: JiraClient, integration: JiraIntegration, g: ErrorGroupEntity, snapshot: JiraIssueEntity, issue: JiraIssue, log: NewActivity[]): Promise<JiraAssignee | null | undefined> {
    const s = integration.settings;
    const known = snapshot.assignee ? userForJiraPerson(snapshot.assignee, s.userMapping, s.autoMapUsersByEmail).user : null;
    if (g.assignee === known) return undefined;
    const flavour = await client.flavour();
    const base = { projectId: g.projectId, fingerprint: g.fingerprint, source: 'worker' as const };
    let target: JiraUserId | null = null;
    if (g.assignee) {
      target = mappedJiraIdentity(g.assignee, s.userMapping, flavour) ?? (s.autoMapUsersByEmail && g.assignee.includes('@') ? await client.findUserByEmail(g.assignee) : null) ?? null;
      if (!target) {
        log.push({ ...base, kind: 'assignee.unmapped', detail: `'${g.assignee}' has no Jira user; add them under User mapping. The Jira assignee was left as it is` });
        return undefined;
      }
    }
    if (isSamePerson(issue.fields.assignee as never, target)) return undefined;
    try {
      await client.assignIssue(issue.key, target);
    } catch (err) {
      // Jira refuses this person as assignee (no "Assignable User" right): asking again cannot help.
      if (!isJiraError(err, 'bad_request') || !err.errors.assignee) throw err;
      const detail = `Jira refused '${g.assignee}' as assignee of ${issue.key} (${err.errors.assignee}); the assignee here was kept and the Jira assignee left as it is`;
      log.push({ ...base, kind: 'jira.assign-rejected', detail, data: { errors: err.errors } });
      return undefined;
    }
    log.push({ ...base, kind: 'jira.assigned', detail: g.assignee ? `Jira issue ${issue.key} assigned to ${g.assignee}` : `Jira issue ${issue.key} unassigned` });
    // Recorded with who it is here, so the snapshot maps back to this user (by mapping, email or name).
    return target && { ...target, ...(g.assignee!.includes('@') ? { emailAddress: g.assignee! } : {}), displayName: g.assignee! };
  }

  private async applyFromJira(projectId: string, integration: JiraIntegration, issue: JiraIssue, deleted: boolean): Promise<void> {
    const change: JiraChange = deleted
      ? { kind: 'deleted', issueId: issue.id, issueKey: issue.key, timestamp: Date.now(), changedFields: [] }
      : changeFromIssue(issue);
    await this.dataSource.transaction((m) => this.applier.apply(m, projectId, change, integration.settings, 'resync'));
  }
}
