import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '@app/config/app-config';
import { ErrorGroupEntity, ProjectEntity } from '@app/database/entities';
import { GroupQueryRepository } from '@app/database/repositories/group-queries.repository';
import { TicketAttemptRepository } from '@app/database/repositories/ticket-attempt.repository';
import { JiraRunRepository } from '@app/database/repositories/jira-run.repository';
import { inTransaction } from '@app/database/transaction';
import { RetryLaterError } from '@app/queue/job-errors';
import { ActivityService, NewActivity } from '@app/modules/activity/activity.service';
import { isJiraError, JiraClient, JiraIssue } from '@app/modules/jira/client';
import { JiraIntegration } from '@app/modules/jira-settings/jira-settings';
import { CreationRoute, creationRoute } from '@app/modules/tickets/creation/creation-route';
import { ticketMarker } from '@app/modules/tickets/creation/marker';
import { LinkedIssuesService, snapshotOf } from '@app/modules/tickets/linking/linked-issues.service';
import { IssueFieldsBuilder } from '@app/modules/tickets/creation/issue-fields-builder';
import { backfillClaim, inFlightWait } from '@app/modules/tickets/creation/create-claim';

interface Member {
  group: ErrorGroupEntity;
  route: CreationRoute;
  marker: string;
}

type Ready = Member & { fields: Record<string, unknown> };

const routeData = (r: CreationRoute) => ({ route: r.name, ...(r.fallback ? { routeFallback: r.fallback } : {}) });

/**
 * One batch (at most 50 groups) of a backfill, exactly once per group as the single path is:
 * groups an earlier run may have created are looked up by marker label first (waiting out Jira Cloud's search
 * lag before creating again), the attempt is recorded before `POST issue/bulk`, and each link commits with its
 * group's progress. A Jira failure leaves the unsettled groups queued for the job's next run. The attempt is
 * recorded only if no other creator recorded one since the group was read, and another creator's recent attempt
 * is waited out (tickets/creation/create-claim.ts).
 */
@Injectable()
export class BackfillBatch {
  constructor(
    private readonly dataSource: DataSource,
    private readonly runs: JiraRunRepository,
    private readonly groups: GroupQueryRepository,
    private readonly attempts: TicketAttemptRepository,
    private readonly fields: IssueFieldsBuilder,
    private readonly linked: LinkedIssuesService,
    private readonly activity: ActivityService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async run(runId: string, groupIds: string[], integration: JiraIntegration, client: JiraClient, project: ProjectEntity): Promise<void> {
    const members: Member[] = [];
    const gone: string[] = [];
    for (const id of groupIds) {
      const group = await this.groups.findById(id);
      if (!group || group.ticketRef) gone.push(id);
      else members.push({ group, route: creationRoute(integration.settings, group), marker: ticketMarker(project.key, group.fingerprint) });
    }
    if (gone.length > 0) await inTransaction(this.dataSource, (m) => this.runs.settleGroups(m, runId, gone, 'skipped'));
    const claim = backfillClaim(runId);
    const inFlight = Math.max(0, ...members.map((m) => inFlightWait(m.group, claim)));
    if (inFlight > 0) throw new RetryLaterError(`waiting ${inFlight} ms for a create request another creator sent`, inFlight);
    const toCreate = await this.findEarlierAttempts(runId, members, client);
    if (toCreate.length === 0) return;

    const ready: Ready[] = [];
    for (const member of toCreate) {
      const built = await this.fields.build(integration, client, project, member.group, member.route);
      if ('problem' in built) await this.failGroup(runId, member, `Ticket not created: ${built.problem}`, built.data);
      else ready.push({ ...member, fields: built.fields });
    }
    const claimed: Ready[] = [];
    for (const r of ready) if (await this.attempts.claim(r.group.id, r.route.name, claim, r.group.ticketCreateAttemptedAt)) claimed.push(r);
    // Another creator recorded an attempt since these were read: they stay queued, and the next run reads them again.
    const lost = ready.length - claimed.length;
    if (claimed.length > 0) await this.create(runId, claimed, client);
    if (lost > 0) throw new RetryLaterError(`${lost} group(s) got a create request from another creator meanwhile`, 1_000);
  }

  private async create(runId: string, ready: Ready[], client: JiraClient): Promise<void> {
    const outcomes = await client.bulkCreateIssues(ready.map((r) => ({ fields: r.fields }))).catch(async (err: unknown) => {
      // Jira answered, and refused the whole call (credentials, a permission): nothing was created, so a later
      // attempt need not search first. A lost answer or a 429/5xx keeps the attempts.
      if (isJiraError(err) && err.status !== undefined && err.status >= 400 && err.status < 500 && err.status !== 429) {
        for (const r of ready) await this.attempts.forget(r.group.id, backfillClaim(runId));
      }
      throw err;
    });
    const statuses = await this.initialStatuses(client, outcomes.flatMap((o) => ('created' in o ? [o.created] : [])));
    for (const [i, outcome] of outcomes.entries()) {
      const member = ready[i];
      if ('refused' in outcome) {
        await this.failGroup(runId, member, `Ticket not created: ${outcome.refused}`, routeData(member.route), true);
        continue;
      }
      const issue: JiraIssue = { id: outcome.created.id, key: outcome.created.key, fields: { status: statuses.get(prefixOf(outcome.created.key)) } };
      await this.link(runId, member, client, issue, 'ticket.created', `Created Jira issue ${issue.key}`);
    }
  }

  /**
   * Links the groups whose issue an earlier run created (found by marker label) and answers the rest. A group
   * whose earlier attempt is not found yet on Cloud makes the job wait until the search-lag window has passed.
   */
  private async findEarlierAttempts(runId: string, members: Member[], client: JiraClient): Promise<Member[]> {
    const attempted = members.filter((m) => m.group.ticketCreateAttemptedAt);
    if (attempted.length === 0) return members;
    const jql = `labels in (${attempted.map((m) => `"${m.marker}"`).join(', ')})`;
    const found = await client.searchJql(jql, { fields: ['summary', 'status', 'labels'], maxIssues: attempted.length * 2 });
    const byMarker = new Map<string, JiraIssue>();
    // Oldest first: if a duplicate ever slipped through, every retry links the same one.
    for (const issue of found.sort((a, b) => Number(a.id) - Number(b.id))) {
      for (const label of (issue.fields?.labels as string[] | undefined) ?? []) if (!byMarker.has(label)) byMarker.set(label, issue);
    }
    const rest: Member[] = [];
    let wait = 0;
    const cloud = (await client.flavour()) === 'cloud';
    for (const member of members) {
      const issue = byMarker.get(member.marker);
      if (issue) {
        await this.link(runId, member, client, issue, 'ticket.linked', `Found the issue ${issue.key} created by an earlier attempt`);
        continue;
      }
      const at = member.group.ticketCreateAttemptedAt;
      if (at && cloud) wait = Math.max(wait, at.getTime() + this.config.jiraSearchConsistencyMs - Date.now());
      rest.push(member);
    }
    if (wait > 0) throw new RetryLaterError(`waiting ${wait} ms for Jira search to show issues an earlier attempt may have created`, wait);
    return rest;
  }

  /** The status new issues start in, read once per Jira project (the bulk answer carries none). */
  private async initialStatuses(client: JiraClient, created: Array<{ id: string; key: string }>): Promise<Map<string, JiraIssue['fields']['status']>> {
    const out = new Map<string, JiraIssue['fields']['status']>();
    for (const { id, key } of created) {
      if (out.has(prefixOf(key))) continue;
      // The issues exist already: a failed read links them without a status, as the single path does.
      const issue = await client.getIssue(id, ['status']).catch(() => null);
      out.set(prefixOf(key), issue?.fields?.status);
    }
    return out;
  }

  private async link(runId: string, member: Member, client: JiraClient, issue: JiraIssue, kind: string, detail: string): Promise<void> {
    const { group, route } = member;
    const note = route.fallback ? ` (route ${route.name}: ${route.fallback})` : route.settings.routes.length > 0 ? ` (route ${route.name})` : '';
    await inTransaction(this.dataSource, async (m) => {
      await this.linked.link(m, group.projectId, group.id, snapshotOf(issue, client.browseUrl(issue.key)), route.name);
      await this.runs.settleGroups(m, runId, [group.id], 'done');
      await this.activity.record(m, {
        projectId: group.projectId, fingerprint: group.fingerprint, kind, source: 'worker', detail: `${detail}${note}`,
        data: { key: issue.key, id: issue.id, backfill: runId, ...routeData(route) },
      });
    });
  }

  private async failGroup(runId: string, member: Member, detail: string, data?: Record<string, unknown>, nothingCreated = true): Promise<void> {
    const { group } = member;
    const entry: NewActivity = { projectId: group.projectId, fingerprint: group.fingerprint, kind: 'ticket.failed', source: 'worker', detail, data: { ...data, backfill: runId } };
    await inTransaction(this.dataSource, async (m) => {
      await this.attempts.markTicketFailed(m, group.id, nothingCreated);
      await this.runs.settleGroups(m, runId, [group.id], 'failed');
      await this.activity.record(m, entry);
    });
  }
}

function prefixOf(key: string): string {
  return key.replace(/-\d+$/, '');
}
