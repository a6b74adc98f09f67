// Reads of error_groups (the writes are all in group.repository.ts).
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { ErrorGroupEntity, GroupState } from '@app/database/entities';
import { GroupRow, LinkedGroup, SubjectGroup } from './group.rows';
import { LockedIssue } from './jira-issue.rows';

export interface GroupPageQuery {
  projectId: string;
  state?: GroupState;
  /** Matched case-insensitively against title and fingerprint, as a substring. */
  text?: string;
  /** The (lastSeen, id) of the last row of the previous page. */
  after?: [lastSeen: string, id: string];
  limit: number;
}

/**
 * Issues in id order, then their groups in fingerprint order (the order ingestion locks
 * groups in), so concurrent writers wait for each other instead of deadlocking. The
 * groups' CTE reads the issues' CTE, so the issues are always locked first.
 */
const LOCK_ISSUES_WITH_GROUPS = `
WITH i AS (
  SELECT id, issue_id, issue_key, url, status, status_category, assignee, fix_versions, last_event_at
    FROM jira_issues WHERE project_id = $1 AND issue_id = ANY($2::text[]) ORDER BY id FOR UPDATE
),
g AS (
  SELECT id, fingerprint, state, assignee, resolved_until, resolved_at, local_changed_at, ticket_ref
    FROM error_groups WHERE ticket_ref IN (SELECT id FROM i) ORDER BY fingerprint, id FOR UPDATE
)
SELECT
  (SELECT COALESCE(json_agg(json_build_object('id', id::text, 'issueId', issue_id, 'issueKey', issue_key, 'url', url, 'status', status,
     'statusCategory', status_category, 'assignee', assignee, 'fixVersions', fix_versions, 'lastEventAt', last_event_at) ORDER BY id), '[]') FROM i) AS issues,
  (SELECT COALESCE(json_agg(json_build_object('id', id::text, 'fingerprint', fingerprint, 'state', state, 'assignee', assignee,
     'resolvedUntil', resolved_until, 'resolvedAt', resolved_at, 'localChangedAt', local_changed_at, 'ticketRef', ticket_ref::text)
     ORDER BY fingerprint, id), '[]') FROM g) AS groups`;

const date = (v: unknown): Date | null => (v === null || v === undefined ? null : new Date(v as string));

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

  /** Newest lastSeen first, keyset-paginated (one row more than `limit`, to tell whether a next page exists). */
  listPage(q: GroupPageQuery): Promise<GroupRow[]> {
    const qb = this.dataSource
      .getRepository(ErrorGroupEntity)
      .createQueryBuilder('g')
      .where('g.project_id = :projectId', { projectId: q.projectId })
      .orderBy('g.last_seen', 'DESC')
      .addOrderBy('g.id', 'DESC')
      .limit(q.limit + 1);
    if (q.state) qb.andWhere('g.state = :state', { state: q.state });
    if (q.text) {
      const like = `%${q.text.replace(/[\\%_]/g, (c) => '\\' + c)}%`;
      qb.andWhere('(g.title ILIKE :like OR g.fingerprint ILIKE :like)', { like });
    }
    if (q.after) {
      const [lastSeen, id] = q.after;
      qb.andWhere('(g.last_seen, g.id) < (:lastSeen, :id)', { lastSeen, id });
    }
    return qb.getMany();
  }

  /** Title, classifiers and attributes of the given groups (the ticket rules' `when`, for rows the batch upsert returned without them). */
  conditionSubjects(m: EntityManager, groupIds: string[]): Promise<SubjectGroup[]> {
    if (groupIds.length === 0) return Promise.resolve([]);
    return m.query(`SELECT id::text AS id, fingerprint, title, classifiers, attributes FROM error_groups WHERE id = ANY($1::bigint[])`, [groupIds]);
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
  async lockIssuesWithGroups(m: EntityManager, projectId: string, issueIds: string[]): Promise<{ issues: LockedIssue[]; groups: LinkedGroup[] }> {
    const [row]: Array<{ issues: LockedIssue[]; groups: LinkedGroup[] }> = await m.query(LOCK_ISSUES_WITH_GROUPS, [projectId, issueIds]);
    for (const i of row.issues) i.lastEventAt = date(i.lastEventAt);
    for (const g of row.groups) {
      g.resolvedAt = date(g.resolvedAt);
      g.localChangedAt = date(g.localChangedAt);
    }
    return row;
  }
}
