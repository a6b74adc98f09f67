import { ApiProperty } from '@nestjs/swagger';
import { GROUP_STATES, AttributeHistograms, ErrorGroupEntity, GroupState, ResolvedUntil } from '@app/database/entities';
import { topValues } from '@app/modules/ingest-body/attribute-histograms';
import { GroupTicketDto } from '@app/modules/tickets/dto/ticket-response.dto';

/** The stored fields a group response shows (an ErrorGroupEntity, or a raw row of the ingest path). */
export type GroupResponseSource = Pick<
  ErrorGroupEntity,
  'fingerprint' | 'title' | 'callstack' | 'classifiers' | 'count' | 'firstSeen' | 'lastSeen' | 'link' | 'attributes' | 'state' | 'assignee' | 'resolvedUntil' | 'regressions' | 'updatedAt'
>;

export class ResolvedUntilResponseDto {
  @ApiProperty({ description: 'The attribute that holds the version' })
  attribute: string;
  @ApiProperty({ description: 'Reports of a later version reopen the group (a regression)' })
  version: string;
}

/** attribute → (value → count). */
const HISTOGRAMS = { type: 'object', additionalProperties: { type: 'object', additionalProperties: { type: 'integer' } }, example: { os: { linux: 3, windows: 1 } } } as const;

export class GroupResponseDto {
  @ApiProperty()
  fingerprint: string;
  @ApiProperty()
  title: string;
  @ApiProperty({ type: [String] })
  callstack: string[];
  @ApiProperty({ type: [String] })
  classifiers: string[];
  @ApiProperty({ type: 'integer', description: 'Occurrences reported in all' })
  count: number;
  @ApiProperty({ format: 'date-time' })
  firstSeen: string;
  @ApiProperty({ format: 'date-time' })
  lastSeen: string;
  @ApiProperty({ type: String, nullable: true })
  link: string | null;
  @ApiProperty({ ...HISTOGRAMS, description: 'attribute → (value → count), the values seen in the reports' })
  attributes: AttributeHistograms;
  /** attribute → its value with the highest count */
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' }, description: 'attribute → its value with the highest count' })
  topValues: Record<string, string>;
  @ApiProperty({ enum: GROUP_STATES })
  state: GroupState;
  @ApiProperty({ type: String, nullable: true })
  assignee: string | null;
  @ApiProperty({ type: ResolvedUntilResponseDto, nullable: true, description: 'Set when resolved in a version' })
  resolvedUntil: ResolvedUntil | null;
  @ApiProperty({ type: 'integer', description: 'Times the group came back after being resolved' })
  regressions: number;
  @ApiProperty({ type: GroupTicketDto, nullable: true, description: 'The linked Jira issue' })
  ticket: GroupTicketDto | null;
  @ApiProperty({ format: 'date-time' })
  updatedAt: string;

  static from(g: GroupResponseSource, ticket: GroupTicketDto | null = null): GroupResponseDto {
    return {
      fingerprint: g.fingerprint,
      title: g.title,
      callstack: g.callstack,
      classifiers: g.classifiers,
      count: g.count,
      firstSeen: g.firstSeen.toISOString(),
      lastSeen: g.lastSeen.toISOString(),
      link: g.link,
      attributes: g.attributes,
      topValues: topValues(g.attributes),
      state: g.state,
      assignee: g.assignee,
      resolvedUntil: g.resolvedUntil,
      regressions: g.regressions,
      ticket,
      updatedAt: g.updatedAt.toISOString(),
    };
  }
}

export class GroupListResponseDto {
  @ApiProperty({ type: [GroupResponseDto] })
  items: GroupResponseDto[];
  /** Pass as `cursor` to get the next page; null on the last page. */
  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` to get the next page; null on the last page' })
  nextCursor: string | null;
}
