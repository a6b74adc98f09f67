import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { notFound } from '../../common/errors/domain-error';
import { ProjectEntity } from '../../database/entities';

/** Project look-ups shared by the guard, controllers and other modules. */
@Injectable()
export class ProjectsService {
  constructor(@InjectRepository(ProjectEntity) private readonly repo: Repository<ProjectEntity>) {}

  findByTokenHash(hash: string): Promise<ProjectEntity | null> {
    return this.repo.findOne({ where: { ingestTokenHash: hash } });
  }

  async getByKey(key: string): Promise<ProjectEntity> {
    const project = await this.repo.findOne({ where: { key } });
    if (!project) throw notFound('PROJECT_NOT_FOUND', `project '${key}' not found`);
    return project;
  }

  list(): Promise<ProjectEntity[]> {
    return this.repo.find({ order: { key: 'ASC' } });
  }
}
