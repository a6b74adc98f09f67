import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '@app/common/http/openapi-errors';
import { CreateProjectDto } from '@app/modules/projects/dto/create-project.dto';
import { ProjectResponseDto, ProjectWithTokenResponseDto } from '@app/modules/projects/dto/project-response.dto';
import { ProjectsService } from './projects.service';
import { CreateProjectUseCase } from '@app/modules/projects/use-cases/create-project.use-case';
import { DeleteProjectUseCase } from '@app/modules/projects/use-cases/delete-project.use-case';
import { RotateIngestTokenUseCase } from '@app/modules/projects/use-cases/rotate-ingest-token.use-case';

@ApiTags('projects')
@ApiBearerAuth()
@Controller('api/v1/projects')
export class ProjectsController {
  constructor(
    private readonly projects: ProjectsService,
    private readonly createProject: CreateProjectUseCase,
    private readonly rotateToken: RotateIngestTokenUseCase,
    private readonly deleteProject: DeleteProjectUseCase,
  ) {}

  @Post()
  @ApiCreatedResponse({ type: ProjectWithTokenResponseDto, description: 'Created; the ingest token is shown in this answer only' })
  @ApiErrors(409)
  create(@Body() dto: CreateProjectDto): Promise<ProjectWithTokenResponseDto> {
    return this.createProject.execute(dto);
  }

  @Get()
  @ApiOkResponse({ type: [ProjectResponseDto] })
  async list(): Promise<ProjectResponseDto[]> {
    return (await this.projects.list()).map(ProjectResponseDto.from);
  }

  @Get(':key')
  @ApiOkResponse({ type: ProjectResponseDto })
  @ApiErrors(404)
  async get(@Param('key') key: string): Promise<ProjectResponseDto> {
    return ProjectResponseDto.from(await this.projects.getByKey(key));
  }

  @Delete(':key')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Deleted, with its groups and integration' })
  @ApiErrors(404)
  async remove(@Param('key') key: string): Promise<void> {
    await this.deleteProject.execute(key);
  }

  @Post(':key/ingest-token')
  @HttpCode(200)
  @ApiOkResponse({ type: ProjectWithTokenResponseDto, description: 'The new token; the old one stops working' })
  @ApiErrors(404)
  rotate(@Param('key') key: string): Promise<ProjectWithTokenResponseDto> {
    return this.rotateToken.execute(key);
  }
}
