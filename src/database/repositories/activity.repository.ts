import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { ActivityEntity, ActivitySource } from '@app/database/entities';

/** A row of `activity`. */
export type ActivityRow = ActivityEntity;

/** An entry to write; `at` and `id` come from the database. */
export interface NewActivityRow {
  projectId: string;
  fingerprint?: string | null;
  kind: string;
  source: ActivitySource;
  detail: string;
  data?: Record<string, unknown> | null;
}

/** Which entries to read, newest first. */
export interface ActivityFilter {
  projectId: string;
  fingerprint?: string;
  kind?: string;
  source?: ActivitySource;
  limit: number;
}

/** The integration log: written with the changes it describes, read newest first. */
@Injectable()
export class ActivityRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** All entries in one statement, through `m` so that they commit with the caller's change. */
  async insertMany(m: EntityManager, entries: NewActivityRow[]): Promise<void> {
    if (entries.length === 0) return;
    const rows = entries.map((e) => ({
      project_id: e.projectId,
      fingerprint: e.fingerprint ?? null,
      kind: e.kind,
      source: e.source,
      detail: e.detail,
      data: e.data ?? null,
    }));
    await m.query(
      `INSERT INTO activity (project_id, fingerprint, kind, source, detail, data)
       SELECT r.project_id, r.fingerprint, r.kind, r.source, r.detail, r.data
         FROM jsonb_to_recordset($1::jsonb) AS r(project_id bigint, fingerprint text, kind text, source text, detail text, data jsonb)`,
      [JSON.stringify(rows)],
    );
  }

  findLatest(q: ActivityFilter): Promise<ActivityRow[]> {
    const qb = this.dataSource
      .getRepository(ActivityEntity)
      .createQueryBuilder('a')
      .where('a.project_id = :projectId', { projectId: q.projectId })
      .orderBy('a.at', 'DESC')
      .addOrderBy('a.id', 'DESC')
      .limit(q.limit);
    if (q.fingerprint) qb.andWhere('a.fingerprint = :fp', { fp: q.fingerprint });
    if (q.kind) qb.andWhere('a.kind = :kind', { kind: q.kind });
    if (q.source) qb.andWhere('a.source = :source', { source: q.source });
    return qb.getMany();
  }

  /** Deletes the project's `webhook.unparseable` entries but the newest `keep` (they carry whole payloads). */
  async pruneUnparseableWebhooks(m: EntityManager, projectId: string, keep: number): Promise<void> {
    await m.query(
      `DELETE FROM activity WHERE project_id = $1 AND kind = 'webhook.unparseable'
         AND id NOT IN (SELECT id FROM activity WHERE project_id = $1 AND kind = 'webhook.unparseable' ORDER BY id DESC LIMIT $2)`,
      [projectId, keep],
    );
  }
}
