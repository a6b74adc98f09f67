import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { badRequest } from '@app/common/errors/domain-error';
import { ErrorGroupEntity, GroupState } from '@app/database/entities';
import { GroupQueryRepository } from '@app/database/repositories/group-queries.repository';
import { LinkedIssuesService } from '@app/modules/tickets/linking/linked-issues.service';
import { GroupListResponseDto, GroupResponseDto } from '@app/modules/ingestion/dto/group-response.dto';

export interface ListGroupsQuery {
  projectId: string;
  state?: GroupState;
  limit: number;
  cursor?: string;
  q?: string;
}

/** The cursor is the (lastSeen, id) of the last row of the previous page. */
function encodeCursor(g: ErrorGroupEntity): string {
  return Buffer.from(JSON.stringify([g.lastSeen.toISOString(), g.id])).toString('base64url');
}

function decodeCursor(cursor: string): [string, string] {
  try {
    const [lastSeen, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof lastSeen === 'string' && !Number.isNaN(Date.parse(lastSeen)) && typeof id === 'string' && /^\d{1,19}$/.test(id)) {
      return [lastSeen, id];
    }
  } catch {
    // fall through to the 400 below
  }
  throw badRequest('INVALID_CURSOR', 'cursor is not valid; use nextCursor from a previous page', 'cursor');
}

/** Newest lastSeen first, keyset-paginated so pages stay stable while reports arrive. */
@Injectable()
export class ListGroupsUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly groups: GroupQueryRepository,
    private readonly linked: LinkedIssuesService,
  ) {}

  async execute(q: ListGroupsQuery): Promise<GroupListResponseDto> {
    const rows = await this.groups.listPage({ projectId: q.projectId, state: q.state, text: q.q, after: q.cursor ? decodeCursor(q.cursor) : undefined, limit: q.limit });
    const page = rows.slice(0, q.limit);
    const tickets = await this.linked.viewsFor(this.dataSource.manager, page);
    return {
      items: page.map((g) => GroupResponseDto.from(g, tickets.get(g.id) ?? null)),
      nextCursor: rows.length > q.limit ? encodeCursor(page[page.length - 1]) : null,
    };
  }
}
