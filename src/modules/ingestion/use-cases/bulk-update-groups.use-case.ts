import { Injectable } from '@nestjs/common';
import { badRequest, DomainError } from '@app/common/errors/domain-error';
import { RequestTicketUseCase } from '@app/modules/tickets/linking/request-ticket.use-case';
import { BulkGroupsDto, BulkGroupsResponseDto, BulkItemResultDto } from '@app/modules/ingestion/dto/bulk-groups.dto';
import { UpdateGroupDto } from '@app/modules/ingestion/dto/update-group.dto';
import { UpdateGroupUseCase } from '@app/modules/ingestion/use-cases/update-group.use-case';

/**
 * One action on many groups of a project: each group goes through the single-group use case in its
 * own transaction (the same activity, Jira sync and ticket outbox rows as one by one), so one group's
 * failure (gone, no Jira integration) is that item's result and the others still apply.
 */
@Injectable()
export class BulkUpdateGroupsUseCase {
  constructor(
    private readonly updateGroup: UpdateGroupUseCase,
    private readonly requestTicket: RequestTicketUseCase,
  ) {}

  async execute(projectId: string, dto: BulkGroupsDto): Promise<BulkGroupsResponseDto> {
    if (dto.action !== 'setState' && dto.state !== undefined) throw badRequest('INVALID_BODY', 'state is only taken with action setState', 'state');
    if (dto.action !== 'setAssignee' && dto.assignee !== undefined) throw badRequest('INVALID_BODY', 'assignee is only taken with action setAssignee', 'assignee');
    const apply = this.actionFor(projectId, dto);
    const results: BulkItemResultDto[] = [];
    for (const fingerprint of dto.fingerprints) {
      try {
        await apply(fingerprint);
        results.push({ fingerprint, ok: true });
      } catch (err) {
        if (!(err instanceof DomainError) || err.status >= 500) throw err;
        results.push({ fingerprint, ok: false, error: { code: err.code, status: err.status, message: err.message } });
      }
    }
    return { results };
  }

  private actionFor(projectId: string, dto: BulkGroupsDto): (fingerprint: string) => Promise<unknown> {
    switch (dto.action) {
      case 'setState': {
        const change: UpdateGroupDto = { state: dto.state };
        return (fingerprint) => this.updateGroup.execute(projectId, fingerprint, change);
      }
      case 'setAssignee': {
        const change: UpdateGroupDto = { assignee: dto.assignee ?? null };
        return (fingerprint) => this.updateGroup.execute(projectId, fingerprint, change);
      }
      case 'createTickets':
        return (fingerprint) => this.requestTicket.execute(projectId, fingerprint);
    }
  }
}
