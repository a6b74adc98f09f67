import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { notFound } from '@app/common/errors/domain-error';
import { GroupQueryRepository } from '@app/database/repositories/group-queries.repository';
import { inTransaction } from '@app/database/transaction';
import { ActivityService } from '@app/modules/activity/activity.service';
import { lockGroup } from './group-lookup';
import { LinkedIssuesService } from './linked-issues.service';

/** Removes a group's link to its Jira issue; the issue itself stays in Jira. */
@Injectable()
export class UnlinkTicketUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly groups: GroupQueryRepository,
    private readonly linked: LinkedIssuesService,
    private readonly activity: ActivityService,
  ) {}

  async execute(projectId: string, fingerprint: string): Promise<void> {
    await inTransaction(this.dataSource, async (m) => {
      const group = await lockGroup(this.groups, m, projectId, fingerprint);
      if (!group.ticketRef) throw notFound('TICKET_NOT_FOUND', `group '${fingerprint}' has no linked Jira issue`);
      await this.linked.unlink(m, group.id);
      await this.activity.record(m, { projectId, fingerprint, kind: 'ticket.unlinked', source: 'api', detail: 'Unlinked from its Jira issue' });
    });
  }
}
