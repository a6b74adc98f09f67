import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { badRequest } from '@app/common/errors/domain-error';
import { GroupState } from '@app/database/entities';
import { GroupPageRow, GroupQueryRepository } from '@app/database/repositories/group-queries.repository';
import { LinkedIssuesService } from '@app/modules/tickets/linking/linked-issues.service';
import { GroupListResponseDto, GroupResponseDto } from '@app/modules/ingestion/dto/group-response.dto';
import { DEFAULT_GROUP_SORT, GROUP_SORTS, GroupSort, NO_TICKET, UNASSIGNED } from '@app/modules/ingestion/dto/list-groups-query.dto';

export interface ListGroupsQuery {
  projectId: string;
  sort?: GroupSort;
  state?: GroupState;
  /** An assignee, or "unassigned". */
  assignee?: string;
  /** A Jira status name, or "none". */
  ticketStatus?: string;
  limit: number;
  cursor?: string;
  q?: string;
}

/** The cursor is [sort, sort value, id] of the last row of the previous page: a page of one sort cannot continue another. */
function encodeCursor(sort: GroupSort, row: GroupPageRow): string {
  return Buffer.from(JSON.stringify([sort, row.sortValue, row.group.id])).toString('base64url');
}

const invalidCursor = () => badRequest('INVALID_CURSOR', 'cursor is not valid; use nextCursor from a previous page', 'cursor');

function validValue(sort: GroupSort, value: unknown): value is string {
  if (typeof value !== 'string') return false;
  return sort.endsWith('count') ? /^\d{1,19}$/.test(value) : !Number.isNaN(Date.parse(value));
}

function decodeCursor(cursor: string, sort: GroupSort): [string, string] {
  let parts: unknown[];
  try {
    parts = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
  } catch {
    throw invalidCursor();
  }
  if (!Array.isArray(parts)) throw invalidCursor();
  // A two-part cursor is from before sorting existed: newest lastSeen first.
  const [cursorSort, value, id] = parts.length === 2 ? [DEFAULT_GROUP_SORT, ...parts] : parts;
  if (!GROUP_SORTS.includes(cursorSort as GroupSort) || typeof id !== 'string' || !/^\d{1,19}$/.test(id)) throw invalidCursor();
  if (cursorSort !== sort) throw badRequest('INVALID_CURSOR', `cursor belongs to sort=${String(cursorSort)}, not sort=${sort}; start again without a cursor`, 'cursor');
  if (!validValue(sort, value)) throw invalidCursor();
  return [value, id];
}

/** A project's groups in the asked order (newest lastSeen first by default), filtered, keyset-paginated so pages stay stable while reports arrive. */
@Injectable()
export class ListGroupsUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly groups: GroupQueryRepository,
    private readonly linked: LinkedIssuesService,
  ) {}

  async execute(q: ListGroupsQuery): Promise<GroupListResponseDto> {
    const sort = q.sort ?? DEFAULT_GROUP_SORT;
    const rows = await this.groups.listPage({
      projectId: q.projectId,
      sort: sort.endsWith('count') ? 'count' : 'lastSeen',
      descending: sort.startsWith('-'),
      state: q.state,
      assignee: q.assignee === UNASSIGNED ? null : q.assignee,
      ticketStatus: q.ticketStatus?.toLowerCase() === NO_TICKET ? null : q.ticketStatus,
      text: q.q,
      after: q.cursor ? decodeCursor(q.cursor, sort) : undefined,
      limit: q.limit,
    });
    const page = rows.slice(0, q.limit);
    const tickets = await this.linked.viewsFor(this.dataSource.manager, page.map((r) => r.group));
    return {
      items: page.map(({ group }) => GroupResponseDto.from(group, tickets.get(group.id) ?? null)),
      nextCursor: rows.length > q.limit ? encodeCursor(sort, page[page.length - 1]) : null,
    };
  }

  /** The Jira statuses the project's linked issues have now (the values `ticketStatus` finds groups for). */
  ticketStatuses(projectId: string): Promise<string[]> {
    return this.groups.ticketStatuses(projectId);
  }
}
