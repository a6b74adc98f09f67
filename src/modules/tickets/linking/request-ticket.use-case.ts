import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainError } from '@app/common/errors/domain-error';
import { GroupQueryRepository } from '@app/database/repositories/group-queries.repository';
import { GroupRepository } from '@app/database/repositories/group.repository';
import { TicketView } from '@app/database/repositories/jira-issue.rows';
import { JiraRunRepository } from '@app/database/repositories/jira-run.repository';
import { inTransaction } from '@app/database/transaction';
import { OutboxService } from '@app/queue/outbox.service';
import { ActivityService } from '@app/modules/activity/activity.service';
import { JiraIntegrationService } from '@app/modules/jira-settings/jira-integration.service';
import { ticketCreateDedupeKey } from '@app/modules/tickets/creation/ticket-job-key';
import { lockGroup } from './group-lookup';
import { LinkedIssuesService } from './linked-issues.service';

export type TicketRequestResult = { pending: true } | { ticket: TicketView };

export const integrationMissing = () =>
  new DomainError('INTEGRATION_NOT_CONFIGURED', 409, 'this project has no enabled Jira integration; configure it first');

/**
 * "Create ticket" on a group: queues creation (202) unless it is already linked (200), or a running backfill
 * holds the group (202: the backfill creates it).
 */
@Injectable()
export class RequestTicketUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly groups: GroupQueryRepository,
    private readonly groupWrites: GroupRepository,
    private readonly integrations: JiraIntegrationService,
    private readonly outbox: OutboxService,
    private readonly linked: LinkedIssuesService,
    private readonly activity: ActivityService,
    private readonly runs: JiraRunRepository,
  ) {}

  async execute(projectId: string, fingerprint: string): Promise<TicketRequestResult> {
    const result = await inTransaction(this.dataSource, async (m): Promise<TicketRequestResult> => {
      const group = await lockGroup(this.groups, m, projectId, fingerprint);
      if (group.ticketRef) {
        const view = (await this.linked.viewsFor(m, [group])).get(group.id);
        if (view) return { ticket: view };
      }
      const settings = await this.integrations.findSettings(projectId, m);
      if (!settings || !settings.enabled) throw integrationMissing();
      // A running backfill creates it (one creator at a time keeps a second issue from being made).
      if (await this.runs.backfillHolds(m, projectId, group.id)) return { pending: true };
      const queued = await this.outbox.enqueue(m, { kind: 'ticket.create', projectId, payload: { groupId: group.id, auto: false }, dedupeKey: ticketCreateDedupeKey(group.id) });
      await this.groupWrites.setTicketState(m, [group.id], 'pending');
      if (queued) await this.activity.record(m, { projectId, fingerprint, kind: 'ticket.requested', source: 'api', detail: 'Ticket creation requested' });
      return { pending: true };
    });
    if ('pending' in result) this.outbox.kick();
    return result;
  }
}
