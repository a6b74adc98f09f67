import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { badRequest } from '@app/common/errors/domain-error';
import { inTransaction } from '@app/database/transaction';
import { GroupRepository } from '@app/database/repositories/group.repository';
import { ActivityService, NewActivity } from '@app/modules/activity/activity.service';
import { LinkedIssuesService } from '@app/modules/tickets/linking/linked-issues.service';
import { setGroupState } from '@app/modules/sync/mapping/group-state';
import { OutboundSyncService } from '@app/modules/sync/outbound/outbound-sync.service';
import { GroupResponseDto } from '@app/modules/ingestion/dto/group-response.dto';
import { UpdateGroupDto } from '@app/modules/ingestion/dto/update-group.dto';
import { GroupsService } from '@app/modules/ingestion/groups.service';

const DEFAULT_VERSION_ATTRIBUTE = 'version';

/**
 * A person changes a group's state, assignee or "resolved until" version.
 * Setting resolvedUntil implies resolved; leaving resolved clears it.
 */
@Injectable()
export class UpdateGroupUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly groups: GroupsService,
    private readonly groupWrites: GroupRepository,
    private readonly activity: ActivityService,
    private readonly linked: LinkedIssuesService,
    private readonly outbound: OutboundSyncService,
  ) {}

  async execute(projectId: string, fingerprint: string, dto: UpdateGroupDto): Promise<GroupResponseDto> {
    if (dto.state === undefined && dto.assignee === undefined && dto.resolvedUntil === undefined) {
      throw badRequest('EMPTY_UPDATE', 'body must set at least one of state, assignee, resolvedUntil', 'body');
    }
    if (dto.resolvedUntil && dto.state && dto.state !== 'resolved') {
      throw badRequest('CONFLICTING_UPDATE', 'resolvedUntil implies state resolved; do not send another state with it', 'state');
    }
    const result = await inTransaction(this.dataSource, async (m) => {
      const g = await this.groups.get(projectId, fingerprint, m, true);
      const entries: NewActivity[] = [];
      const log = (kind: string, detail: string) => entries.push({ projectId, fingerprint, kind, source: 'api', detail });
      const before = { state: g.state, assignee: g.assignee, until: g.resolvedUntil?.version ?? null };

      if (dto.state) setGroupState(g, dto.state);
      if (dto.resolvedUntil) {
        setGroupState(g, 'resolved');
        g.resolvedUntil = { attribute: dto.resolvedUntil.attribute ?? DEFAULT_VERSION_ATTRIBUTE, version: dto.resolvedUntil.version };
      } else if (dto.resolvedUntil === null) {
        g.resolvedUntil = null;
      }
      if (dto.assignee !== undefined) g.assignee = dto.assignee;

      if (g.state !== before.state) log('state.changed', `State changed from ${before.state} to ${g.state}`);
      const until = g.resolvedUntil?.version ?? null;
      if (until !== before.until) log('resolved-until.changed', until ? `Resolved until ${g.resolvedUntil!.attribute} ${until}` : 'Resolved-until version cleared');
      if (g.assignee !== before.assignee) log('assignee.changed', g.assignee ? `Assigned to ${g.assignee}` : 'Unassigned');

      const saved = await this.groupWrites.saveChanges(m, g);
      await this.activity.recordMany(m, entries);
      // Only a person's change here goes out to Jira; Jira's own changes never come back (no ping-pong).
      if (g.state !== before.state || g.assignee !== before.assignee) await this.outbound.localChange(m, saved);
      const tickets = await this.linked.viewsFor(m, [saved]);
      return GroupResponseDto.from(saved, tickets.get(saved.id) ?? null);
    });
    this.outbound.kick();
    return result;
  }
}
