import { Controller, Get, Param, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Request, Response } from 'express';
import { Public } from '@app/modules/projects/auth/auth.decorators';
import { ProjectResponseDto } from '@app/modules/projects/dto/project-response.dto';
import { ProjectsService } from '@app/modules/projects/projects.service';
import { statusCharts } from '@app/modules/ui/charts/status-charts';
import { UiSessionGuard } from '@app/modules/ui/session/ui-session.guard';
import { ProjectStatusService, STATUS_HOURS } from '@app/modules/ui/status/project-status.service';
import { UiExceptionFilter } from '@app/modules/ui/ui-exception.filter';
import { page } from './page-context';

/** A project's last 24 h as charts: tickets, webhook deliveries, failures, queue, reconciliation, health. */
@ApiExcludeController()
@Public()
@UseGuards(UiSessionGuard)
@UseFilters(UiExceptionFilter)
@Controller('ui/projects/:key/status')
export class StatusPagesController {
  constructor(
    private readonly projects: ProjectsService,
    private readonly status: ProjectStatusService,
  ) {}

  @Get()
  async show(@Param('key') key: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const entity = await this.projects.getByKey(key);
    const project = ProjectResponseDto.from(entity);
    const data = await this.status.read(entity.id);
    res.render(
      'status',
      page(req, `Status · ${project.name}`, { project, charts: statusCharts(data, STATUS_HOURS), at: data.now }, { projectKey: project.key, section: 'status' }),
    );
  }
}
