import { Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ProjectsService } from '@app/modules/projects/projects.service';
import { ResyncReport, ResyncService } from './resync.service';

@ApiTags('jira integration')
@ApiBearerAuth()
@Controller('api/v1/projects/:key/integrations/jira/resync')
export class ResyncController {
  constructor(
    private readonly projects: ProjectsService,
    private readonly resync: ResyncService,
  ) {}

  /** Reconciles now and reports how many linked issues were read and how many group changes applied. */
  @Post()
  @HttpCode(200)
  async run(@Param('key') key: string): Promise<ResyncReport> {
    const project = await this.projects.getByKey(key);
    return this.resync.run(project.id);
  }
}
