import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { GroupRepository } from '@app/database/repositories/group.repository';
import { RuleGroup } from '@app/database/repositories/group.rows';
import { OutboxRepository } from '@app/database/repositories/outbox.repository';
import { NewJob } from '@app/queue/job-types';
import { OutboxService } from '@app/queue/outbox.service';
import { ActivityService } from '@app/modules/activity/activity.service';
import { JiraIntegrationService } from '@app/modules/jira-settings/jira-integration.service';
import { ticketCreateDedupeKey } from './ticket-job-key';

/**
 * createRules: a group without a ticket gets one automatically once it has been
 * reported `minCount` times, at most `maxTicketsPerHour` per project. Groups over
 * the hourly limit are marked skipped with an activity entry (a person can still
 * create their ticket); they are not queued for later, so a flood of new groups
 * never turns into a flood of issues.
 */
@Injectable()
export class TicketRulesService {
  constructor(
    private readonly integrations: JiraIntegrationService,
    private readonly outbox: OutboxService,
    private readonly outboxRows: OutboxRepository,
    private readonly activity: ActivityService,
    private readonly groups: GroupRepository,
  ) {}

  /** Runs inside the ingestion transaction, so the ticket job commits with the group. */
  async afterIngest(m: EntityManager, projectId: string, groups: RuleGroup[]): Promise<void> {
    const candidates = groups.filter((g) => !g.ticketRef && !g.ticketState);
    if (candidates.length === 0) return;
    // Locked: concurrent ingests of one project take the hourly budget in turn, not both at once.
    const integration = await this.integrations.findSettings(projectId, m, true);
    if (!integration || !integration.enabled || !integration.createRules.onNewGroup) return;
    const eligible = candidates.filter((g) => g.count >= integration.createRules.minCount);
    if (eligible.length === 0) return;

    const n = await this.outboxRows.countAutoTicketJobsLastHour(m, projectId);
    const budget = Math.max(0, integration.createRules.maxTicketsPerHour - n);
    const queued = eligible.slice(0, budget);
    const skipped = eligible.slice(budget);

    const jobs: NewJob[] = queued.map((g) => ({ kind: 'ticket.create', projectId, payload: { groupId: g.id, auto: true }, dedupeKey: ticketCreateDedupeKey(g.id) }));
    await this.outbox.enqueueMany(m, jobs);
    await this.setState(m, queued, 'pending');
    await this.setState(m, skipped, 'skipped');
    await this.activity.recordMany(
      m,
      skipped.map((g) => ({
        projectId,
        fingerprint: g.fingerprint,
        kind: 'ticket.skipped',
        source: 'ingest' as const,
        detail: `No ticket created automatically: the limit of ${integration.createRules.maxTicketsPerHour} tickets per hour was reached; create it with "Create ticket"`,
      })),
    );
  }

  private async setState(m: EntityManager, groups: RuleGroup[], state: 'pending' | 'skipped'): Promise<void> {
    if (groups.length === 0) return;
    await this.groups.setTicketState(m, groups.map((g) => g.id), state);
    for (const g of groups) g.ticketState = state;
  }
}
