import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Length, Max, MaxLength, Min } from 'class-validator';
import { GROUP_STATES, GroupState } from '@app/database/entities';

/** `sort` values: a field, descending with a leading "-". */
export const GROUP_SORTS = ['-lastSeen', 'lastSeen', '-count', 'count'] as const;
export type GroupSort = (typeof GROUP_SORTS)[number];
export const DEFAULT_GROUP_SORT: GroupSort = '-lastSeen';

/** The `assignee` filter value for groups nobody is assigned to. */
export const UNASSIGNED = 'unassigned';
/** The `ticketStatus` filter value for groups without a linked Jira issue. */
export const NO_TICKET = 'none';

export class ListGroupsQueryDto {
  @ApiPropertyOptional({ enum: GROUP_SORTS, default: DEFAULT_GROUP_SORT, description: 'Order of the list: lastSeen or count, descending with a leading "-". Ties go by id.' })
  @IsOptional() @IsIn(GROUP_SORTS, { message: `sort must be one of ${GROUP_SORTS.join(', ')}` })
  sort?: GroupSort;

  @ApiPropertyOptional({ enum: GROUP_STATES })
  @IsOptional() @IsIn(GROUP_STATES, { message: `state must be one of ${GROUP_STATES.join(', ')}` })
  state?: GroupState;

  @ApiPropertyOptional({ description: `The assignee (exact), or "${UNASSIGNED}" for groups nobody is assigned to.`, maxLength: 256 })
  @IsOptional() @IsString() @Length(1, 256)
  assignee?: string;

  @ApiPropertyOptional({ description: `The linked Jira issue's status name (case-insensitive, e.g. "In Progress"), or "${NO_TICKET}" for groups without a linked issue.`, maxLength: 100 })
  @IsOptional() @IsString() @Length(1, 100)
  ticketStatus?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 200, default: 50 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200)
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page; it is only valid with the same sort.' })
  @IsOptional() @IsString() @MaxLength(300)
  cursor?: string;

  /** Case-insensitive match on title or fingerprint. */
  @ApiPropertyOptional({ description: 'Case-insensitive match on title or fingerprint.', maxLength: 200 })
  @IsOptional() @IsString() @MaxLength(200)
  q?: string;
}
