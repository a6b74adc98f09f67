import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { GroupRepository } from '@app/database/repositories/group.repository';
import { OutboxRepository } from '@app/database/repositories/outbox.repository';
import { ActivityService } from '@app/modules/activity/activity.service';
import { FailureView, toFailureView } from './failure-view';

/** The most failures a list shows: enough to act on, bounded for a project whose Jira is down for days. */
export const FAILURES_LIMIT = 500;

/**
 * Failed work of a project: outbox rows a job gave up on (Jira refused, a required field,
 * a permission, attempts run out). Waiting rows (credentials failing) are not failures.
 */
@Injectable()
export class FailuresService {
  constructor(
    private readonly outbox: OutboxRepository,
    private readonly groups: GroupRepository,
    private readonly activity: ActivityService,
  ) {}

  async list(projectId: string): Promise<FailureView[]> {
    return (await this.outbox.listFailed(projectId, FAILURES_LIMIT)).map(toFailureView);
  }

  /** Queues the rows again in the caller's transaction, groups of retried creations back to pending, one activity entry each. */
  async retry(m: EntityManager, projectId: string, ids: string[] | null): Promise<string[]> {
    const retried = await this.outbox.retryFailed(m, projectId, ids);
    const groupIds = retried.filter((r) => r.kind === 'ticket.create' && typeof r.payload.groupId === 'string').map((r) => r.payload.groupId as string);
    if (groupIds.length) await this.groups.markTicketRetried(m, groupIds);
    await this.activity.recordMany(
      m,
      retried.map((r) => ({ projectId, kind: 'failure.retried', source: 'api' as const, detail: `Failed ${r.kind} job ${r.id} queued again`, data: { job: r.id, kind: r.kind } })),
    );
    return retried.map((r) => r.id);
  }
}
