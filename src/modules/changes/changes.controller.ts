import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '@app/common/http/openapi-errors';
import { ProjectsService } from '@app/modules/projects/projects.service';
import { ChangesPageDto, ChangesQueryDto } from './dto/changes.dto';
import { ListChangesUseCase } from './use-cases/list-changes.use-case';

@ApiTags('changes')
@ApiBearerAuth()
@Controller('api/v1/projects/:key/changes')
export class ChangesController {
  constructor(
    private readonly projects: ProjectsService,
    private readonly listChanges: ListChangesUseCase,
  ) {}

  /** Every change of the project's groups in commit order, after a cursor: read on with nextCursor, nothing is skipped or repeated. */
  @Get()
  @ApiOkResponse({ type: ChangesPageDto })
  @ApiErrors(400, 404)
  async list(@Param('key') key: string, @Query() q: ChangesQueryDto): Promise<ChangesPageDto> {
    const project = await this.projects.getByKey(key);
    return this.listChanges.execute(project.id, q.after, q.limit);
  }
}
