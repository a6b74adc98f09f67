import { Controller, Get, Param, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Request, Response } from 'express';
import { ACTIVITY_SOURCES } from '@app/database/entities';
import { ActivityService } from '@app/modules/activity/activity.service';
import { ActivityQueryDto } from '@app/modules/activity/dto/activity-query.dto';
import { Public } from '@app/modules/projects/auth/auth.decorators';
import { ProjectResponseDto } from '@app/modules/projects/dto/project-response.dto';
import { ProjectsService } from '@app/modules/projects/projects.service';
import { toFieldErrors, validateAs } from '@app/modules/ui/forms/form-errors';
import { formText } from '@app/modules/ui/forms/form-text';
import { UiSessionGuard } from '@app/modules/ui/session/ui-session.guard';
import { UiExceptionFilter } from '@app/modules/ui/ui-exception.filter';
import { page } from './page-context';

/** Entries that report something going wrong (a failed Jira call, a rejected webhook...) stand out. */
const PROBLEM_KIND = /failed|rejected|unparseable|missing|unmapped|unchecked|skipped|error/;

@ApiExcludeController()
@Public()
@UseGuards(UiSessionGuard)
@UseFilters(UiExceptionFilter)
@Controller('ui/projects/:key/activity')
export class ActivityPagesController {
  constructor(
    private readonly projects: ProjectsService,
    private readonly activity: ActivityService,
  ) {}

  @Get()
  async list(@Param('key') key: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const entity = await this.projects.getByKey(key);
    const project = ProjectResponseDto.from(entity);
    const query = { kind: formText(req.query.kind) || undefined, source: formText(req.query.source) || undefined, fingerprint: formText(req.query.fingerprint) || undefined };
    const { value, problems } = validateAs(ActivityQueryDto, query);
    const filter = problems.length ? {} : value;
    const rows = await this.activity.list({ projectId: entity.id, kind: filter.kind, source: filter.source, fingerprint: filter.fingerprint, limit: 200 });
    const entries = rows.map((a) => ({
      at: a.at,
      fingerprint: a.fingerprint,
      kind: a.kind,
      source: a.source,
      detail: a.detail,
      problem: PROBLEM_KIND.test(a.kind),
      data: a.data && Object.keys(a.data).length ? JSON.stringify(a.data, null, 2) : undefined,
    }));
    res.status(problems.length ? 400 : 200).render(
      'activity',
      page(req, `Activity · ${project.name}`, { project, entries, filter: query, sources: ACTIVITY_SOURCES, filterErrors: toFieldErrors(problems) }, { projectKey: project.key, section: 'activity' }),
    );
  }
}
