import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

/** A comment as the group shows it. */
export interface GroupCommentRow {
  id: string;
  source: 'jira' | 'local';
  author: string;
  body: string;
  createdAt: Date;
  jiraCommentId: string | null;
}

/** A local note the outbound job posts. */
export interface PendingNoteRow {
  id: string;
  groupId: string;
  body: string;
  marker: string;
  jiraCommentId: string | null;
  deleted: boolean;
}

/** One version of a Jira comment, as a webhook or a resync read brought it. */
export interface JiraCommentVersion {
  jiraCommentId: string;
  author: string;
  /** without our note marker */
  body: string;
  createdAt: Date;
  updatedAt: Date;
  deleted: boolean;
  /** the marker of our own note this comment is the Jira copy of */
  marker: string | null;
}

const COLUMNS = `id::text AS id, source, author, body, created_at AS "createdAt", jira_comment_id AS "jiraCommentId"`;

/**
 * group_comments: Jira comments on a group's issue and the notes added here. Rows are domain data, never pruned;
 * a deleted Jira comment stays as a tombstone (deleted_at) so deliveries in any order converge.
 */
@Injectable()
export class GroupCommentRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The group's visible comments, oldest first. */
  async listForGroup(groupId: string, m: EntityManager = this.dataSource.manager): Promise<GroupCommentRow[]> {
    const rows: GroupCommentRow[] = await m.query(
      `SELECT ${COLUMNS} FROM group_comments WHERE group_id = $1 AND deleted_at IS NULL ORDER BY created_at, id`,
      [groupId],
    );
    return rows.map((r) => ({ ...r, createdAt: new Date(r.createdAt) }));
  }

  /** Adds a local note; its marker is derived from its id by `markerOf`. */
  async addNote(m: EntityManager, projectId: string, groupId: string, author: string, body: string, markerOf: (id: string) => string): Promise<GroupCommentRow> {
    const [row]: Array<GroupCommentRow> = await m.query(
      `INSERT INTO group_comments (project_id, group_id, source, author, body) VALUES ($1, $2, 'local', $3, $4) RETURNING ${COLUMNS}`,
      [projectId, groupId, author, body],
    );
    await m.query(`UPDATE group_comments SET marker = $2 WHERE id = $1`, [row.id, markerOf(row.id)]);
    return { ...row, createdAt: new Date(row.createdAt) };
  }

  async findNote(id: string): Promise<PendingNoteRow | null> {
    const rows: PendingNoteRow[] = await this.dataSource.query(
      `SELECT id::text AS id, group_id::text AS "groupId", body, marker, jira_comment_id AS "jiraCommentId", deleted_at IS NOT NULL AS deleted
       FROM group_comments WHERE id = $1 AND source = 'local'`,
      [id],
    );
    return rows[0] ?? null;
  }

  /** Records the Jira comment a note became, unless its webhook (matched by marker) already did. */
  async markPosted(noteId: string, jiraCommentId: string, updatedAt: Date): Promise<void> {
    await this.dataSource.query(
      `UPDATE group_comments SET jira_comment_id = $2, jira_updated_at = $3 WHERE id = $1 AND jira_comment_id IS NULL`,
      [noteId, jiraCommentId, updatedAt],
    );
  }

  /**
   * Applies one version of a Jira comment to every group linked to the issue. Our own note's copy (same marker)
   * fills in the note's Jira id instead of adding a row; a known comment takes only a newer version; a delete
   * wins over any version (Jira cannot edit a deleted comment) and leaves a tombstone. Returns rows changed.
   */
  async applyJiraVersion(m: EntityManager, projectId: string, issueId: string, c: JiraCommentVersion): Promise<number> {
    const rows: unknown[] = await m.query(
      `WITH g AS (
         SELECT e.id FROM error_groups e JOIN jira_issues i ON i.id = e.ticket_ref WHERE i.project_id = $1 AND i.issue_id = $2
       ), claimed AS (
         UPDATE group_comments n SET jira_comment_id = $3, jira_updated_at = $7, deleted_at = CASE WHEN $8::boolean THEN now() END
         FROM g WHERE n.group_id = g.id AND $9::text IS NOT NULL AND n.marker = $9 AND n.jira_comment_id IS NULL
         RETURNING n.group_id
       ), upserted AS (
         INSERT INTO group_comments AS c (project_id, group_id, source, author, body, created_at, jira_comment_id, jira_updated_at, deleted_at)
         SELECT $1, g.id, 'jira', $4::text, $5::text, $6::timestamptz, $3::text, $7::timestamptz, CASE WHEN $8::boolean THEN now() END FROM g WHERE g.id NOT IN (SELECT group_id FROM claimed)
         ON CONFLICT (group_id, jira_comment_id) DO UPDATE SET
           author = CASE WHEN c.source = 'local' THEN c.author ELSE EXCLUDED.author END,
           body = CASE WHEN EXCLUDED.deleted_at IS NULL THEN EXCLUDED.body ELSE c.body END,
           jira_updated_at = GREATEST(c.jira_updated_at, EXCLUDED.jira_updated_at),
           deleted_at = EXCLUDED.deleted_at
         WHERE c.deleted_at IS NULL AND (EXCLUDED.deleted_at IS NOT NULL OR c.jira_updated_at IS NULL OR EXCLUDED.jira_updated_at > c.jira_updated_at)
         RETURNING c.id
       )
       SELECT group_id AS id FROM claimed UNION ALL SELECT id FROM upserted`,
      [projectId, issueId, c.jiraCommentId, c.author, c.body, c.createdAt, c.updatedAt, c.deleted, c.marker],
    );
    return rows.length;
  }

  /** Resync: Jira comments of the issue's groups that Jira no longer lists were deleted there. */
  async markMissingDeleted(m: EntityManager, projectId: string, issueId: string, present: string[]): Promise<number> {
    // Counted in a CTE: an UPDATE's own answer through TypeORM is [rows, count], not the rows.
    const rows: Array<{ n: number }> = await m.query(
      `WITH hidden AS (
         UPDATE group_comments c SET deleted_at = now()
         FROM error_groups e JOIN jira_issues i ON i.id = e.ticket_ref
         WHERE i.project_id = $1 AND i.issue_id = $2 AND c.group_id = e.id
           AND c.jira_comment_id IS NOT NULL AND c.deleted_at IS NULL AND NOT (c.jira_comment_id = ANY($3::text[]))
         RETURNING 1)
       SELECT count(*)::int AS n FROM hidden`,
      [projectId, issueId, present],
    );
    return rows[0].n;
  }
}
