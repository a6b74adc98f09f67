import { AttributeHistograms, ErrorGroupEntity, GroupState, ResolvedUntil } from '@app/database/entities';
import { topValues } from '@app/modules/ingest-body/attribute-histograms';

/** The stored fields a group response shows (an ErrorGroupEntity, or a raw row of the ingest path). */
export type GroupResponseSource = Pick<
  ErrorGroupEntity,
  'fingerprint' | 'title' | 'callstack' | 'classifiers' | 'count' | 'firstSeen' | 'lastSeen' | 'link' | 'attributes' | 'state' | 'assignee' | 'resolvedUntil' | 'regressions' | 'updatedAt'
>;

export class GroupTicketDto {
  key: string;
  id: string;
  url: string;
  status: string | null;
  statusCategory: string | null;
  /** The route the issue was created through (a name from settings.routes, or 'default'); null when linked by hand. */
  route: string | null;
}

export class GroupResponseDto {
  fingerprint: string;
  title: string;
  callstack: string[];
  classifiers: string[];
  count: number;
  firstSeen: string;
  lastSeen: string;
  link: string | null;
  attributes: AttributeHistograms;
  /** attribute → its value with the highest count */
  topValues: Record<string, string>;
  state: GroupState;
  assignee: string | null;
  resolvedUntil: ResolvedUntil | null;
  regressions: number;
  ticket: GroupTicketDto | null;
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
  items: GroupResponseDto[];
  /** Pass as `cursor` to get the next page; null on the last page. */
  nextCursor: string | null;
}
