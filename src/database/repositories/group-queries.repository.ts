// Reads of error_groups (the writes are all in group.repository.ts).
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { ErrorGroupEntity, GroupState } from '@app/database/entities';
import { GroupRow, SubjectGroup } from './group.rows';
import { LockedIssues, lockedIssuesOf, lockIssuesWithGroupsSql } from './locked-issues';

/** The columns a group list sorts on, in the API's names. */
export type GroupSortField = 'lastSeen' | 'count';

export interface GroupPageQuery {
  projectId: string;
  sort: GroupSortField;
  descending: boolean;
  state?: GroupState;
  /** An assignee, or null for the unassigned groups. */
  assignee?: string | null;
  /** The linked issue's Jira status (case-insensitive), or null for the groups without a linked issue. */
  ticketStatus?: string | null;
  /** Matched case-insensitively against title and fingerprint, as a substring. */
  text?: string;
  /** The sort value (as text) and id of the last row of the previous page. */
  after?: [value: string, id: string];
  limit: number;
}

/** A listed group and its sort value as exact text (a timestamp to the microsecond), for the next page's cursor. */
export interface GroupPageRow {
  group: GroupRow;
  sortValue: string;
}

/** Sort field → column and its exact text; the indexes of migration 1764870000000 (and the initial ones for last_seen) serve each. */
const SORT_COLUMNS: Record<GroupSortField, { column: string; text: string; cast: string }> = {
  lastSeen: { column: 'g.last_seen', text: `to_char(g.last_seen AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`, cast: 'timestamptz' },
  count: { column: 'g.count', text: 'g.count::text', cast: 'bigint' },
};

const LOCKED = lockIssuesWithGroupsSql('$1', '$2::text[]');
const LOCK_ISSUES_WITH_GROUPS = `WITH ${LOCKED.ctes}\nSELECT ${LOCKED.columns}`;

@Injectable()
export class GroupQueryRepository {
  constructor(private readonly dataSource: DataSource) {}

  findById(id: string, m: EntityManager = this.dataSource.manager): Promise<GroupRow | null> {
    return m.getRepository(ErrorGroupEntity).findOneBy({ id });
  }

  /** The group of a project by fingerprint; with `lock`, locked for the caller's transaction. */
  findByFingerprint(projectId: string, fingerprint: string, m: EntityManager = this.dataSource.manager, lock = false): Promise<GroupRow | null> {
    const qb = m
      .getRepository(ErrorGroupEntity)
      .createQueryBuilder('g')
      .where('g.project_id = :projectId AND g.fingerprint = :fingerprint', { projectId, fingerprint });
    if (lock) qb.setLock('pessimistic_write');
    return qb.getOne();
  }

  /**
   * One page of a project's groups in the given order (ties broken by id, in the same direction), keyset-paginated:
   * one row more than `limit`, to tell whether a next page exists.
   */
  async listPage(q: GroupPageQuery): Promise<GroupPageRow[]> {
    const sort = SORT_COLUMNS[q.sort];
    const dir = q.descending ? 'DESC' : 'ASC';
    const qb = this.dataSource
      .getRepository(ErrorGroupEntity)
      .createQueryBuilder('g')
      .addSelect(sort.text, 'sort_value')
      .where('g.project_id = :projectId', { projectId: q.projectId })
      .orderBy(sort.column, dir)
      .addOrderBy('g.id', dir)
      .limit(q.limit + 1);
    if (q.state) qb.andWhere('g.state = :state', { state: q.state });
    if (q.assignee === null) qb.andWhere('g.assignee IS NULL');
    else if (q.assignee !== undefined) qb.andWhere('g.assignee = :assignee', { assignee: q.assignee });
    if (q.ticketStatus === null) qb.andWhere('g.ticket_ref IS NULL');
    else if (q.ticketStatus !== undefined) {
      qb.andWhere('g.ticket_ref IN (SELECT i.id FROM jira_issues i WHERE i.project_id = :projectId AND lower(i.status) = lower(:ticketStatus))', { ticketStatus: q.ticketStatus });
    }
    if (q.text) {
      const like = `%${q.text.replace(/[\\%_]/g, (c) => '\\' + c)}%`;
      qb.andWhere('(g.title ILIKE :like OR g.fingerprint ILIKE :like)', { like });
    }
    if (q.after) {
      const [value, id] = q.after;
      qb.andWhere(`(${sort.column}, g.id) ${q.descending ? '<' : '>'} (CAST(:afterValue AS ${sort.cast}), CAST(:afterId AS bigint))`, { afterValue: value, afterId: id });
    }
    const { entities, raw } = await qb.getRawAndEntities<{ sort_value: string }>();
    return entities.map((group, i) => ({ group, sortValue: raw[i].sort_value }));
  }

  /** The Jira statuses of the project's linked issues, for the list's filter. */
  async ticketStatuses(projectId: string): Promise<string[]> {
    const rows: Array<{ status: string }> = await this.dataSource.query(
      `SELECT DISTINCT status FROM jira_issues WHERE project_id = $1 AND status IS NOT NULL ORDER BY status`,
      [projectId],
    );
    return rows.map((r) => r.status);
  }

  /** Title, classifiers and attributes of the given groups (the ticket rules' `when`, for rows the batch upsert returned without them). */
  conditionSubjects(m: EntityManager, groupIds: string[]): Promise<SubjectGroup[]> {
    if (groupIds.length === 0) return Promise.resolve([]);
    return m.query(`SELECT id::text AS id, fingerprint, title, classifiers, attributes FROM error_groups WHERE id = ANY($1::bigint[])`, [groupIds]);
  }

  /** The group's linked issue (a jira_issues id, or null), locked for the caller's transaction; undefined when the group is gone. */
  async lockTicketRef(m: EntityManager, groupId: string): Promise<{ ticketRef: string | null } | undefined> {
    const rows: Array<{ ref: string | null }> = await m.query(`SELECT ticket_ref::text AS ref FROM error_groups WHERE id = $1 FOR UPDATE`, [groupId]);
    return rows[0] ? { ticketRef: rows[0].ref } : undefined;
  }

  /** Locks the group and returns when a person last changed it here; undefined when it is gone. */
  async lockLocalChange(m: EntityManager, groupId: string): Promise<{ localChangedAt: Date | null } | undefined> {
    const rows: Array<{ local_changed_at: Date | null }> = await m.query(`SELECT local_changed_at FROM error_groups WHERE id = $1 FOR UPDATE`, [groupId]);
    return rows[0] ? { localChangedAt: rows[0].local_changed_at } : undefined;
  }

  /**
   * Locks and reads the project's linked issues among `issueIds`, and all their groups, in one
   * statement (GroupRepository.saveAppliedChanges writes them back in one more): applying a batch of
   * webhook events is then a few round trips however many events and issues it holds.
   */
  async lockIssuesWithGroups(m: EntityManager, projectId: string, issueIds: string[]): Promise<LockedIssues> {
    const [row]: LockedIssues[] = await m.query(LOCK_ISSUES_WITH_GROUPS, [projectId, issueIds]);
    return lockedIssuesOf(row);
  }
}
