import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '@app/common/http/openapi-errors';
import { ProjectsService } from '@app/modules/projects/projects.service';
import { StartImportUseCase } from '@app/modules/tickets/import/start-import.use-case';
import { BackfillRequestDto, ImportRequestDto, JiraRunDto } from './dto/jira-run.dto';
import { RunProgressUseCase } from './run-progress.use-case';
import { StartBackfillUseCase } from './start-backfill.use-case';

@ApiTags('jira integration')
@ApiBearerAuth()
@Controller('api/v1/projects/:key/integrations/jira')
export class JiraRunsController {
  constructor(
    private readonly projects: ProjectsService,
    private readonly startBackfill: StartBackfillUseCase,
    private readonly startImport: StartImportUseCase,
    private readonly progress: RunProgressUseCase,
  ) {}

  /** Creates the tickets of every matching group without one, in the background (bulk creates of up to 50). */
  @Post('backfill')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: JiraRunDto })
  @ApiErrors(400, 404, 409)
  async backfill(@Param('key') key: string, @Body() dto: BackfillRequestDto): Promise<JiraRunDto> {
    const project = await this.projects.getByKey(key);
    return this.startBackfill.execute(project.id, dto);
  }

  @Get('backfill/:id')
  @ApiOkResponse({ type: JiraRunDto })
  @ApiErrors(404)
  async backfillProgress(@Param('key') key: string, @Param('id') id: string): Promise<JiraRunDto> {
    const project = await this.projects.getByKey(key);
    return this.progress.get(project.id, 'backfill', id);
  }

  /** Stops a running backfill before its next batch; the tickets made so far stay. */
  @Delete('backfill/:id')
  @ApiOkResponse({ type: JiraRunDto })
  @ApiErrors(404)
  async cancelBackfill(@Param('key') key: string, @Param('id') id: string): Promise<JiraRunDto> {
    const project = await this.projects.getByKey(key);
    return this.progress.cancel(project.id, 'backfill', id);
  }

  /** Links the existing issues the JQL finds to the groups their fingerprint names, in the background. */
  @Post('import')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: JiraRunDto })
  @ApiErrors(400, 404, 409)
  async import(@Param('key') key: string, @Body() dto: ImportRequestDto): Promise<JiraRunDto> {
    const project = await this.projects.getByKey(key);
    return this.startImport.execute(project.id, dto);
  }

  @Get('import/:id')
  @ApiOkResponse({ type: JiraRunDto })
  @ApiErrors(404)
  async importProgress(@Param('key') key: string, @Param('id') id: string): Promise<JiraRunDto> {
    const project = await this.projects.getByKey(key);
    return this.progress.get(project.id, 'import', id);
  }

  @Delete('import/:id')
  @ApiOkResponse({ type: JiraRunDto })
  @ApiErrors(404)
  async cancelImport(@Param('key') key: string, @Param('id') id: string): Promise<JiraRunDto> {
    const project = await this.projects.getByKey(key);
    return this.progress.cancel(project.id, 'import', id);
  }
}
