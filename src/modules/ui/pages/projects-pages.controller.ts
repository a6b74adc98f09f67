import { Body, Controller, Get, Param, Post, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Request, Response } from 'express';
import { JiraIntegrationRepository } from '@app/database/repositories/jira-integration.repository';
import { DomainError } from '@app/common/errors/domain-error';
import { Public } from '@app/modules/projects/auth/auth.decorators';
import { CreateProjectDto } from '@app/modules/projects/dto/create-project.dto';
import { ProjectResponseDto } from '@app/modules/projects/dto/project-response.dto';
import { ProjectsService } from '@app/modules/projects/projects.service';
import { CreateProjectUseCase } from '@app/modules/projects/use-cases/create-project.use-case';
import { DeleteProjectUseCase } from '@app/modules/projects/use-cases/delete-project.use-case';
import { RotateIngestTokenUseCase } from '@app/modules/projects/use-cases/rotate-ingest-token.use-case';
import { FieldErrors, toFieldErrors, validateAs } from '@app/modules/ui/forms/form-errors';
import { formText } from '@app/modules/ui/forms/form-text';
import { UiSessionGuard } from '@app/modules/ui/session/ui-session.guard';
import { UiExceptionFilter } from '@app/modules/ui/ui-exception.filter';
import { groupsPath, projectsPath } from '@app/modules/ui/ui-paths';
import { page } from './page-context';

@ApiExcludeController()
@Public()
@UseGuards(UiSessionGuard)
@UseFilters(UiExceptionFilter)
@Controller('ui/projects')
export class ProjectsPagesController {
  constructor(
    private readonly projects: ProjectsService,
    private readonly createProject: CreateProjectUseCase,
    private readonly rotateToken: RotateIngestTokenUseCase,
    private readonly deleteProject: DeleteProjectUseCase,
    private readonly integrations: JiraIntegrationRepository,
  ) {}

  @Get()
  async list(@Req() req: Request, @Res() res: Response): Promise<void> {
    const deleted = typeof req.query.deleted === 'string' ? req.query.deleted : undefined;
    await this.render(req, res, 200, { deleted });
  }

  @Post()
  async create(@Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response): Promise<void> {
    const values = { key: formText(body.key), name: formText(body.name) };
    const { value, problems } = validateAs(CreateProjectDto, values);
    if (problems.length) return this.render(req, res, 400, { values, errors: toFieldErrors(problems) });
    try {
      const created = await this.createProject.execute(value);
      // The token is shown on this response only: it is stored hashed.
      await this.render(req, res, 201, { revealed: { key: created.key, token: created.ingestToken, created: true } });
    } catch (err) {
      if (err instanceof DomainError && err.field) return this.render(req, res, err.status, { values, errors: { [err.field]: [err.message] } });
      throw err;
    }
  }

  @Get(':key')
  open(@Param('key') key: string, @Res() res: Response): void {
    res.redirect(303, groupsPath(key));
  }

  @Post(':key/ingest-token')
  async rotate(@Param('key') key: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const rotated = await this.rotateToken.execute(key);
    await this.render(req, res, 200, { revealed: { key: rotated.key, token: rotated.ingestToken, created: false } });
  }

  @Get(':key/delete')
  async confirmDelete(@Param('key') key: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const project = ProjectResponseDto.from(await this.projects.getByKey(key));
    res.render('project-delete', page(req, `Delete ${project.name}`, { project }));
  }

  /** The key must be typed again: deleting a project deletes its groups and integration. */
  @Post(':key/delete')
  async remove(@Param('key') key: string, @Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response): Promise<void> {
    const project = ProjectResponseDto.from(await this.projects.getByKey(key));
    if (formText(body.confirm) !== project.key) {
      const errors: FieldErrors = { confirm: [`type the project key '${project.key}' to confirm`] };
      res.status(400).render('project-delete', page(req, `Delete ${project.name}`, { project, errors }));
      return;
    }
    await this.deleteProject.execute(key);
    res.redirect(303, `${projectsPath()}?deleted=${encodeURIComponent(project.key)}`);
  }

  private async render(req: Request, res: Response, status: number, extras: Record<string, unknown>): Promise<void> {
    const projects = (await this.projects.list()).map(ProjectResponseDto.from);
    const credentialsFailing = (await this.integrations.listFailingCredentials()).map((f) => f.projectKey);
    res.status(status).render('projects', page(req, 'Projects', { projects, credentialsFailing, values: {}, ...extras }));
  }
}
