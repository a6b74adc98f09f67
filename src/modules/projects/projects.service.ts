import { Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { notFound } from '@app/common/errors/domain-error';
import { ProjectEntity } from '@app/database/entities';
import { ProjectRepository } from '@app/database/repositories/project.repository';

/** What the ingestion path needs of a project. */
export interface ProjectRef {
  id: string;
  key: string;
}

/** How long a key → id look-up for ingestion is reused. */
export const PROJECT_REF_TTL_MS = 5_000;
/** How long the project of a token hash is remembered (a hint only: see rememberedTokenProject). */
export const TOKEN_REF_TTL_MS = 60_000;

/** Project look-ups shared by the guard, controllers and other modules. */
@Injectable()
export class ProjectsService {
  private readonly refs = new LRUCache<string, ProjectRef>({ max: 1_000, ttl: PROJECT_REF_TTL_MS });
  private readonly tokenRefs = new LRUCache<string, ProjectRef>({ max: 1_000, ttl: TOKEN_REF_TTL_MS });

  constructor(private readonly projects: ProjectRepository) {}

  findByTokenHash(hash: string): Promise<ProjectEntity | null> {
    return this.projects.findByTokenHash(hash);
  }

  /**
   * The project an ingest token belongs to, or null, from the database (one
   * indexed read, a prepared statement). The answer is remembered for
   * rememberedTokenProject().
   */
  async findRefByTokenHash(hash: string): Promise<ProjectRef | null> {
    const rows = await this.projects.findIdAndKeyByTokenHash(hash);
    if (rows[0]) this.tokenRefs.set(hash, { id: String(rows[0].id), key: rows[0].key });
    else this.tokenRefs.delete(hash);
    return rows[0] ?? null;
  }

  /**
   * The project a token hash belonged to when last looked up, if recently. Not a
   * proof that the token is still valid: whoever acts on it checks the token in
   * the database in the same statement or transaction (VerifiesIngestToken).
   */
  rememberedTokenProject(hash: string): ProjectRef | undefined {
    return this.tokenRefs.get(hash);
  }

  forgetTokenHash(hash: string): void {
    this.tokenRefs.delete(hash);
  }

  async getByKey(key: string): Promise<ProjectEntity> {
    const project = await this.projects.findByKey(key);
    if (!project) throw notFound('PROJECT_NOT_FOUND', `project '${key}' not found`);
    return project;
  }

  /**
   * Key → id for ingestion with the admin token, reused for PROJECT_REF_TTL_MS.
   * Only found projects are remembered (a new project answers at once). A stale
   * entry (the project was deleted, perhaps by another process) cannot write
   * anything: every ingest write references the project by foreign key, and the
   * ingest path calls forgetRef() and looks again when that check fails.
   */
  async getRefByKey(key: string): Promise<ProjectRef> {
    const hit = this.refs.get(key);
    if (hit) return hit;
    const ref = await this.projects.findIdAndKeyByKey(key);
    if (!ref) {
      this.refs.delete(key);
      throw notFound('PROJECT_NOT_FOUND', `project '${key}' not found`);
    }
    this.refs.set(key, ref);
    return ref;
  }

  forgetRef(key: string): void {
    this.refs.delete(key);
  }

  list(): Promise<ProjectEntity[]> {
    return this.projects.findAll();
  }
}
