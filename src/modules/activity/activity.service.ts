import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { ActivityEntity, ActivitySource } from '@app/database/entities';

export interface NewActivity {
  projectId: string;
  fingerprint?: string | null;
  kind: string;
  source: ActivitySource;
  detail: string;
  data?: Record<string, unknown> | null;
}

export interface ActivityQuery {
  projectId: string;
  fingerprint?: string;
  kind?: string;
  source?: ActivitySource;
  limit: number;
}

/** The integration log users read to see what happened and why (Aha!'s "integration log"). */
@Injectable()
export class ActivityService {
  constructor(private readonly dataSource: DataSource) {}

  /** Writes through the caller's manager, so an entry commits with the change it describes. */
  async record(m: EntityManager, entry: NewActivity): Promise<void> {
    await this.recordMany(m, [entry]);
  }

  async recordMany(m: EntityManager, entries: NewActivity[]): Promise<void> {
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

  async list(q: ActivityQuery): Promise<ActivityEntity[]> {
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
}
