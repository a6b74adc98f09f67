import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** The change feed's types. */
export const CHANGE_TYPES = ['group.created', 'group.state_changed', 'group.assigned', 'group.regressed', 'ticket.linked', 'ticket.unlinked'] as const;
export type ChangeType = (typeof CHANGE_TYPES)[number];

/** A row of `group_changes` as the feed serves it (`seq`: its place in the project's commit order). */
export interface GroupChangeRow {
  seq: string;
  groupId: string;
  fingerprint: string;
  type: ChangeType;
  changes: Record<string, unknown>;
  at: Date;
}

/**
 * The ingest upsert's `group.created` rows (a CTE over its `up` rows and `$1`, the project): new groups of a batch
 * are recorded in the upsert's own statement. Every other change is recorded by the error_groups trigger.
 */
export const CREATED_CHANGES_CTE = `created_changes AS (
  INSERT INTO group_changes (project_id, group_id, fingerprint, type, changes)
  SELECT $1, up.id, up.fingerprint, 'group.created', jsonb_build_object('title', up.title) FROM up WHERE up.created ORDER BY up.fingerprint
)`;

/** Reads of the change feed; rows are written by the ingest upsert and the database trigger (see the migration). */
@Injectable()
export class GroupChangeRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * The project's changes after `afterSeq`, in commit order. Numbers are given at commit under the project's head row,
   * so every committed number below the highest one visible is visible too: reading by `seq` skips nothing.
   */
  async listAfter(projectId: string, afterSeq: string, limit: number, types?: readonly string[]): Promise<GroupChangeRow[]> {
    const rows: Array<GroupChangeRow & { seq: string | number }> = await this.dataSource.query(
      `SELECT seq::text AS seq, group_id::text AS "groupId", fingerprint, type, changes, at FROM group_changes
        WHERE project_id = $1 AND seq > $2 AND ($4::text[] IS NULL OR type = ANY($4::text[]))
        ORDER BY group_changes.seq LIMIT $3`,
      [projectId, afterSeq, limit, types ?? null],
    );
    return rows.map((r) => ({ ...r, seq: String(r.seq), at: new Date(r.at) }));
  }

  /** The project's last numbered change (0 when none): where a new consumer starts when it wants only what comes. */
  async head(projectId: string): Promise<string> {
    const rows: Array<{ last: string }> = await this.dataSource.query(`SELECT last_seq::text AS last FROM change_feed_heads WHERE project_id = $1`, [projectId]);
    return rows[0]?.last ?? '0';
  }
}
