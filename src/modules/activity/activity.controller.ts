import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '@app/common/http/openapi-errors';
import { ProjectsService } from '@app/modules/projects/projects.service';
import { ActivityService } from './activity.service';
import { ActivityEntryDto, ActivityQueryDto } from '@app/modules/activity/dto/activity-query.dto';

@ApiTags('activity')
@ApiBearerAuth()
@Controller('api/v1/projects/:key/activity')
export class ActivityController {
  constructor(
    private readonly projects: ProjectsService,
    private readonly activity: ActivityService,
  ) {}

  /** Newest first. */
  @Get()
  @ApiOkResponse({ type: [ActivityEntryDto] })
  @ApiErrors(400, 404)
  async list(@Param('key') key: string, @Query() q: ActivityQueryDto): Promise<ActivityEntryDto[]> {
    const project = await this.projects.getByKey(key);
    const rows = await this.activity.list({ projectId: project.id, fingerprint: q.fingerprint, kind: q.kind, source: q.source, limit: q.limit ?? 100 });
    return rows.map((a) => ({
      at: a.at.toISOString(),
      fingerprint: a.fingerprint,
      kind: a.kind,
      source: a.source,
      detail: a.detail,
      ...(a.data ? { data: a.data } : {}),
    }));
  }
}
