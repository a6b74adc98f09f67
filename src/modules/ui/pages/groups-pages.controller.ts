import { Body, Controller, Get, Param, Post, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Request, Response } from 'express';
import { DomainError } from '@app/common/errors/domain-error';
import { GroupResponseDto } from '@app/modules/ingestion/dto/group-response.dto';
import { ListGroupsQueryDto } from '@app/modules/ingestion/dto/list-groups-query.dto';
import { UpdateGroupDto } from '@app/modules/ingestion/dto/update-group.dto';
import { ListGroupsUseCase } from '@app/modules/ingestion/use-cases/list-groups.use-case';
import { UpdateGroupUseCase } from '@app/modules/ingestion/use-cases/update-group.use-case';
import { Public } from '@app/modules/projects/auth/auth.decorators';
import { ProjectResponseDto } from '@app/modules/projects/dto/project-response.dto';
import { ProjectsService } from '@app/modules/projects/projects.service';
import { JiraIntegrationService } from '@app/modules/jira-settings/jira-integration.service';
import { LinkExistingIssueUseCase } from '@app/modules/tickets/linking/link-existing-issue.use-case';
import { RequestTicketUseCase } from '@app/modules/tickets/linking/request-ticket.use-case';
import { STATE_OPTIONS } from '@app/modules/ui/forms/jira-settings-form';
import { toFieldErrors, validateAs } from '@app/modules/ui/forms/form-errors';
import { formText } from '@app/modules/ui/forms/form-text';
import { UiSessionGuard } from '@app/modules/ui/session/ui-session.guard';
import { UiExceptionFilter } from '@app/modules/ui/ui-exception.filter';
import { groupsPath, safeReturnTo } from '@app/modules/ui/ui-paths';
import { page } from './page-context';

/** Fixed messages for the redirect after a successful action (no free text travels in the URL). */
const DONE: Record<string, string> = {
  updated: 'Group updated.',
  requested: 'Ticket requested: it appears here once Jira has created it.',
  linked: 'Jira issue linked.',
};

@ApiExcludeController()
@Public()
@UseGuards(UiSessionGuard)
@UseFilters(UiExceptionFilter)
@Controller('ui/projects/:key/groups')
export class GroupsPagesController {
  constructor(
    private readonly projects: ProjectsService,
    private readonly integrations: JiraIntegrationService,
    private readonly listGroups: ListGroupsUseCase,
    private readonly updateGroup: UpdateGroupUseCase,
    private readonly requestTicket: RequestTicketUseCase,
    private readonly linkExisting: LinkExistingIssueUseCase,
  ) {}

  @Get()
  async list(@Param('key') key: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const done = typeof req.query.done === 'string' ? DONE[req.query.done] : undefined;
    await this.render(key, req, res, 200, { notice: done });
  }

  /** State and assignee, as PATCH /groups/{fingerprint} takes them (an empty assignee unassigns). */
  @Post(':fingerprint')
  async update(@Param('key') key: string, @Param('fingerprint') fingerprint: string, @Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response): Promise<void> {
    const assignee = formText(body.assignee);
    const { value, problems } = validateAs(UpdateGroupDto, { state: formText(body.state), assignee: assignee === '' ? null : assignee });
    if (problems.length) return this.render(key, req, res, 400, { failed: { fingerprint, messages: problems.map((p) => p.message) } });
    const project = await this.projects.getByKey(key);
    await this.act(key, fingerprint, req, res, 'updated', () => this.updateGroup.execute(project.id, fingerprint, value));
  }

  /** "Create ticket" (queued, exactly once) or "Link existing" with an issue key. */
  @Post(':fingerprint/ticket')
  async ticket(@Param('key') key: string, @Param('fingerprint') fingerprint: string, @Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response): Promise<void> {
    const project = await this.projects.getByKey(key);
    if (body.action === 'link') {
      const issueKey = formText(body.issueKey);
      if (!issueKey) return this.render(key, req, res, 400, { failed: { fingerprint, messages: ['issueKey: enter the key of the Jira issue to link, e.g. CHK-12'] } });
      return this.act(key, fingerprint, req, res, 'linked', () => this.linkExisting.execute(project.id, fingerprint, issueKey));
    }
    await this.act(key, fingerprint, req, res, 'requested', () => this.requestTicket.execute(project.id, fingerprint));
  }

  private async act(key: string, fingerprint: string, req: Request, res: Response, done: string, run: () => Promise<unknown>): Promise<void> {
    try {
      await run();
    } catch (err) {
      if (err instanceof DomainError && err.status < 500) return this.render(key, req, res, err.status, { failed: { fingerprint, messages: [err.message] } });
      throw err;
    }
    const back = safeReturnTo((req.body as Record<string, unknown>).back) ?? groupsPath(key);
    const url = new URL(back, 'http://ui.invalid');
    url.searchParams.set('done', done);
    res.redirect(303, `${url.pathname}${url.search}`);
  }

  private async render(key: string, req: Request, res: Response, status: number, extras: Record<string, unknown>): Promise<void> {
    const entity = await this.projects.getByKey(key);
    const project = ProjectResponseDto.from(entity);
    const query = { state: formText(req.query.state) || undefined, q: formText(req.query.q) || undefined, cursor: formText(req.query.cursor) || undefined };
    const { value, problems } = validateAs(ListGroupsQueryDto, query);
    const filter = problems.length ? {} : value;
    const result = await this.listGroups.execute({ projectId: entity.id, state: filter.state, q: filter.q, cursor: filter.cursor, limit: 50 });
    const integration = await this.integrations.findSettings(entity.id);
    const failed = extras.failed as { fingerprint: string } | undefined;
    res.status(status).render(
      'groups',
      page(
        req,
        `Groups · ${project.name}`,
        {
          project,
          filter: query,
          filterErrors: toFieldErrors(problems),
          stateOptions: STATE_OPTIONS,
          jiraConfigured: Boolean(integration),
          groups: result.items.map((g) => this.row(g, failed?.fingerprint === g.fingerprint ? extras.failed : undefined)),
          nextCursor: result.nextCursor,
          back: this.backUrl(key, req),
          ...extras,
        },
        { projectKey: project.key, section: 'groups' },
      ),
    );
  }

  /** Where a form on this page returns to: the page as filtered, without the last notice. */
  private backUrl(key: string, req: Request): string {
    if (req.method !== 'GET') return safeReturnTo((req.body as Record<string, unknown>).back) ?? groupsPath(key);
    const url = new URL(req.originalUrl, 'http://ui.invalid');
    url.searchParams.delete('done');
    return `${url.pathname}${url.search}`;
  }

  private row(g: GroupResponseDto, failed: unknown) {
    return {
      ...g,
      topValues: Object.entries(g.topValues).slice(0, 4).map(([name, value]) => ({ name, value })),
      failed,
    };
  }
}
