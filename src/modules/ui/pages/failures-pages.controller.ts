import { Controller, Get, Param, Post, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Request, Response } from 'express';
import { DomainError } from '@app/common/errors/domain-error';
import { FailuresService } from '@app/modules/failures/failures.service';
import { RetryAllFailuresUseCase } from '@app/modules/failures/retry-all-failures.use-case';
import { RetryFailureUseCase } from '@app/modules/failures/retry-failure.use-case';
import { Public } from '@app/modules/projects/auth/auth.decorators';
import { ProjectResponseDto } from '@app/modules/projects/dto/project-response.dto';
import { ProjectsService } from '@app/modules/projects/projects.service';
import { UiSessionGuard } from '@app/modules/ui/session/ui-session.guard';
import { UiExceptionFilter } from '@app/modules/ui/ui-exception.filter';
import { failuresPath } from '@app/modules/ui/ui-paths';
import { page } from './page-context';

/** The Failures page under a project's Jira settings: failed work, with Retry per row and Retry all (the API's use cases). */
@ApiExcludeController()
@Public()
@UseGuards(UiSessionGuard)
@UseFilters(UiExceptionFilter)
@Controller('ui/projects/:key/jira/failures')
export class FailuresPagesController {
  constructor(
    private readonly projects: ProjectsService,
    private readonly failures: FailuresService,
    private readonly retryOne: RetryFailureUseCase,
    private readonly retryAll: RetryAllFailuresUseCase,
  ) {}

  @Get()
  async list(@Param('key') key: string, @Query('retried') retried: unknown, @Req() req: Request, @Res() res: Response): Promise<void> {
    const n = typeof retried === 'string' && /^\d{1,6}$/.test(retried) ? Number(retried) : undefined;
    await this.render(req, res, key, 200, n === undefined ? undefined : `${n} failed job${n === 1 ? '' : 's'} queued again.`);
  }

  @Post('retry')
  async retryEvery(@Param('key') key: string, @Res() res: Response): Promise<void> {
    const r = await this.retryAll.execute(key);
    res.redirect(303, `${failuresPath(key)}?retried=${r.retried.length}`);
  }

  @Post(':id/retry')
  async retry(@Param('key') key: string, @Param('id') id: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    try {
      const r = await this.retryOne.execute(key, id);
      res.redirect(303, `${failuresPath(key)}?retried=${r.retried.length}`);
    } catch (err) {
      if (err instanceof DomainError && err.status === 409) return this.render(req, res, key, 409, undefined, err.message);
      throw err;
    }
  }

  private async render(req: Request, res: Response, key: string, status: number, notice?: string, error?: string): Promise<void> {
    const entity = await this.projects.getByKey(key);
    const project = ProjectResponseDto.from(entity);
    const failures = await this.failures.list(entity.id);
    res.status(status).render(
      'failures',
      page(req, `Failures · ${project.name}`, { project, failures, notice, errors: error ? { form: [error] } : undefined }, { projectKey: project.key, section: 'jira' }),
    );
  }
}
