import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { notFound } from '@app/common/errors/domain-error';
import { ProjectEntity } from '@app/database/entities';

/** Deletes the project with its groups, activity and pending jobs (ON DELETE CASCADE). */
@Injectable()
export class DeleteProjectUseCase {
  constructor(@InjectRepository(ProjectEntity) private readonly repo: Repository<ProjectEntity>) {}

  async execute(key: string): Promise<void> {
    const result = await this.repo.delete({ key });
    if (!result.affected) throw notFound('PROJECT_NOT_FOUND', `project '${key}' not found`);
  }
}
