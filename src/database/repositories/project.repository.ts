import { Injectable } from '@nestjs/common';
import { DataSource, Repository } from 'typeorm';
import { ProjectEntity } from '@app/database/entities';
import { pgQuery, Statement, statement } from '@app/database/pg-query';

/** A row of `projects`. */
export type ProjectRow = ProjectEntity;

/** A project's id and key: what ingestion and webhook intake need of it. */
export type ProjectIdAndKey = Pick<ProjectRow, 'id' | 'key'>;

export type NewProjectRow = Pick<ProjectRow, 'key' | 'name' | 'ingestTokenHash'>;

@Injectable()
export class ProjectRepository {
  private readonly repo: Repository<ProjectEntity>;
  /** The token look-up as a prepared statement (database/pg-query.ts). */
  private readonly byTokenHash: Statement = statement('crashbridge_project_by_token_hash', `SELECT id, key FROM projects WHERE ingest_token_hash = $1`);

  constructor(private readonly dataSource: DataSource) {
    this.repo = dataSource.getRepository(ProjectEntity);
  }

  findByTokenHash(hash: string): Promise<ProjectRow | null> {
    return this.repo.findOne({ where: { ingestTokenHash: hash } });
  }

  /** The ingest path's token check: one indexed read, a prepared statement. */
  findIdAndKeyByTokenHash(hash: string): Promise<ProjectIdAndKey[]> {
    return pgQuery<ProjectIdAndKey>(this.dataSource.manager, this.byTokenHash, [hash]);
  }

  async findIdAndKeyByKey(key: string): Promise<ProjectIdAndKey | undefined> {
    const rows: ProjectIdAndKey[] = await this.dataSource.manager.query(`SELECT id, key FROM projects WHERE key = $1`, [key]);
    return rows[0];
  }

  /** The project by id; throws when there is none (callers hold a row that references it). */
  getById(id: string): Promise<ProjectRow> {
    return this.repo.findOneByOrFail({ id });
  }

  findByKey(key: string): Promise<ProjectRow | null> {
    return this.repo.findOne({ where: { key } });
  }

  /** Every project, by key. */
  findAll(): Promise<ProjectRow[]> {
    return this.repo.find({ order: { key: 'ASC' } });
  }

  /** Inserts the project; throws the unique violation (23505) when its key is taken. */
  insert(p: NewProjectRow): Promise<ProjectRow> {
    return this.repo.save(this.repo.create(p));
  }

  /** Saves the project's changed columns (and bumps updated_at). */
  save(p: ProjectRow): Promise<ProjectRow> {
    return this.repo.save(p);
  }

  /** Deletes the project and, by ON DELETE CASCADE, everything of it; false when there was none. */
  async deleteByKey(key: string): Promise<boolean> {
    const result = await this.repo.delete({ key });
    return !!result.affected;
  }
}
