import { Body, Controller, Get, Param, Post, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Request, Response } from 'express';
import { DomainError } from '@app/common/errors/domain-error';
import { GROUP_STATES, GroupState } from '@app/database/entities';
import { Public } from '@app/modules/projects/auth/auth.decorators';
import { ProjectResponseDto } from '@app/modules/projects/dto/project-response.dto';
import { ProjectsService } from '@app/modules/projects/projects.service';
import { BACKFILL_MAX_GROUPS, BackfillRequestDto } from '@app/modules/tickets/backfill/dto/jira-run.dto';
import { RunProgressUseCase } from '@app/modules/tickets/backfill/run-progress.use-case';
import { StartBackfillUseCase } from '@app/modules/tickets/backfill/start-backfill.use-case';
import { UiSessionGuard } from '@app/modules/ui/session/ui-session.guard';
import { UiExceptionFilter } from '@app/modules/ui/ui-exception.filter';
import { backfillPath } from '@app/modules/ui/ui-paths';
import { page } from './page-context';

/** A whole number from a form field in [1, max], undefined when empty, or an error text. */
function positive(value: unknown, name: string, max = Number.MAX_SAFE_INTEGER): number | undefined | { error: string } {
  if (value === undefined || value === '') return undefined;
  const n = typeof value === 'string' && /^\d{1,9}$/.test(value) ? Number(value) : NaN;
  return n >= 1 && n <= max ? n : { error: `${name} must be a whole number from 1 to ${max}` };
}

/** The Backfill tab under a project's Jira settings: a form to start one, and the running (or last) one's progress bar. */
@ApiExcludeController()
@Public()
@UseGuards(UiSessionGuard)
@UseFilters(UiExceptionFilter)
@Controller('ui/projects/:key/jira/backfill')
export class BackfillPagesController {
  constructor(
    private readonly projects: ProjectsService,
    private readonly start: StartBackfillUseCase,
    private readonly progress: RunProgressUseCase,
  ) {}

  @Get()
  async show(@Param('key') key: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.render(req, res, key, 200);
  }

  @Post()
  async startBackfill(@Param('key') key: string, @Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response): Promise<void> {
    const minCount = positive(body.minCount, 'minCount');
    const limit = positive(body.limit, 'limit', BACKFILL_MAX_GROUPS);
    const state = typeof body.state === 'string' && (GROUP_STATES as string[]).includes(body.state) ? (body.state as GroupState) : undefined;
    const bad = [minCount, limit].find((v): v is { error: string } => typeof v === 'object');
    if (bad) return this.render(req, res, key, 400, bad.error);
    const dto: BackfillRequestDto = {
      state, minCount: minCount as number | undefined, limit: limit as number | undefined,
      q: typeof body.q === 'string' && body.q.trim() ? body.q.trim().slice(0, 256) : undefined,
    };
    const project = await this.projects.getByKey(key);
    try {
      await this.start.execute(project.id, dto);
    } catch (err) {
      if (err instanceof DomainError && (err.status === 409 || err.status === 400)) return this.render(req, res, key, err.status, err.message);
      throw err;
    }
    res.redirect(303, backfillPath(key));
  }

  @Post(':id/cancel')
  async cancel(@Param('key') key: string, @Param('id') id: string, @Res() res: Response): Promise<void> {
    const project = await this.projects.getByKey(key);
    await this.progress.cancel(project.id, 'backfill', id);
    res.redirect(303, backfillPath(key));
  }

  private async render(req: Request, res: Response, key: string, status: number, error?: string): Promise<void> {
    const entity = await this.projects.getByKey(key);
    const project = ProjectResponseDto.from(entity);
    const run = await this.progress.latest(entity.id, 'backfill');
    const settled = run ? run.done + run.failed + run.skipped : 0;
    res.status(status).render(
      'backfill',
      page(req, `Backfill · ${project.name}`, {
        project, run, settled, running: run?.status === 'running', stateOptions: GROUP_STATES, errors: error ? { form: [error] } : undefined,
      }, { projectKey: project.key, section: 'jira' }),
    );
  }
}
