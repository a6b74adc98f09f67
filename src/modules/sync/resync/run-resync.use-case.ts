import { Injectable } from '@nestjs/common';
import { ProjectsService } from '@app/modules/projects/projects.service';
import { ResyncReport, ResyncService } from './resync.service';

/** POST .../integrations/jira/resync: reconcile the project's linked issues now. */
@Injectable()
export class RunResyncUseCase {
  constructor(
    private readonly projects: ProjectsService,
    private readonly resync: ResyncService,
  ) {}

  async execute(projectKey: string): Promise<ResyncReport> {
    const project = await this.projects.getByKey(projectKey);
    return this.resync.run(project.id);
  }
}
