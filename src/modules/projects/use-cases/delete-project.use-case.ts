import { Injectable } from '@nestjs/common';
import { notFound } from '@app/common/errors/domain-error';
import { ProjectRepository } from '@app/database/repositories/project.repository';

/** Deletes the project with its groups, activity and pending jobs (ON DELETE CASCADE). */
@Injectable()
export class DeleteProjectUseCase {
  constructor(private readonly projects: ProjectRepository) {}

  async execute(key: string): Promise<void> {
    if (!(await this.projects.deleteByKey(key))) throw notFound('PROJECT_NOT_FOUND', `project '${key}' not found`);
  }
}
