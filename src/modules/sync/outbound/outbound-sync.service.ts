import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ErrorGroupEntity } from '@app/database/entities';
import { GroupRepository } from '@app/database/repositories/group.repository';
import { OutboxService } from '@app/queue/outbox.service';

export const outboundDedupeKey = (groupId: string) => `jira.sync:${groupId}`;

/**
 * Called when a person changes a group here: stamps the change time (so older
 * Jira events do not undo it) and queues the outbound job in the same
 * transaction. The job reads the group's state when it runs, so several quick
 * changes coalesce into one Jira update.
 */
@Injectable()
export class OutboundSyncService {
  constructor(
    private readonly outbox: OutboxService,
    private readonly groups: GroupRepository,
  ) {}

  async localChange(m: EntityManager, g: ErrorGroupEntity): Promise<void> {
    g.localChangedAt = new Date();
    await this.groups.stampLocalChange(m, g.id, g.localChangedAt);
    if (!g.ticketRef) return;
    await this.outbox.enqueue(m, { kind: 'jira.sync', projectId: g.projectId, payload: { groupId: g.id }, dedupeKey: outboundDedupeKey(g.id) });
  }

  kick(): void {
    this.outbox.kick();
  }
}
