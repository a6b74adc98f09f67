import { Body, Controller, Get, Param, Post, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Request, Response } from 'express';
import { DomainError } from '@app/common/errors/domain-error';
import { GroupListResponseDto } from '@app/modules/ingestion/dto/group-response.dto';
import { BulkGroupsDto } from '@app/modules/ingestion/dto/bulk-groups.dto';
import { DEFAULT_GROUP_SORT, GROUP_SORTS, ListGroupsQueryDto, NO_TICKET, UNASSIGNED } from '@app/modules/ingestion/dto/list-groups-query.dto';
import { BulkUpdateGroupsUseCase } from '@app/modules/ingestion/use-cases/bulk-update-groups.use-case';
import { ListGroupsUseCase } from '@app/modules/ingestion/use-cases/list-groups.use-case';
import { Public } from '@app/modules/projects/auth/auth.decorators';
import { ProjectResponseDto } from '@app/modules/projects/dto/project-response.dto';
import { ProjectsService } from '@app/modules/projects/projects.service';
import { JiraIntegrationService } from '@app/modules/jira-settings/jira-integration.service';
import { STATE_OPTIONS } from '@app/modules/ui/forms/jira-settings-form';
import { FormProblem, toFieldErrors, validateAs } from '@app/modules/ui/forms/form-errors';
import { formText } from '@app/modules/ui/forms/form-text';
import { UiSessionGuard } from '@app/modules/ui/session/ui-session.guard';
import { UiExceptionFilter } from '@app/modules/ui/ui-exception.filter';
import { safeReturnTo } from '@app/modules/ui/ui-paths';
import { bulkSummary, listUrl, ListView, sortHeader, tableRow } from './group-views';
import { page } from './page-context';

const PAGE_SIZE = 50;

/** Fixed messages for the redirect after a change on a group's page (no free text travels in the URL). */
const DONE: Record<string, string> = {
  updated: 'Group updated.',
  requested: 'Ticket requested: it appears here once Jira has created it.',
  linked: 'Jira issue linked.',
};

/** A checkbox list as the flat urlencoded parser gives it: absent, one string, or an array of them. */
const formList = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' ? [v] : []);

/** The triage table: sort, filters and pages as links, and the bulk action bar (POST to the same path). */
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
    private readonly bulkUpdate: BulkUpdateGroupsUseCase,
  ) {}

  @Get()
  async list(@Param('key') key: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const notice = bulkSummary(req.query) ?? (typeof req.query.done === 'string' ? DONE[req.query.done] : undefined);
    await this.render(key, req, res, 200, { notice });
  }

  /** A bulk action on the ticked groups, through the API's bulk use case; back to the page with the counts. */
  @Post()
  async bulk(@Param('key') key: string, @Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response): Promise<void> {
    const action = formText(body.action);
    const assignee = formText(body.assignee);
    const form = {
      fingerprints: formList(body.fingerprints),
      action,
      ...(action === 'setState' ? { state: formText(body.state) } : {}),
      ...(action === 'setAssignee' ? { assignee: assignee === '' ? null : assignee } : {}),
    };
    const { value, problems } = validateAs(BulkGroupsDto, form);
    if (problems.length) {
      const messages = problems.map((p) => (p.path === 'fingerprints' && form.fingerprints.length === 0 ? 'Select at least one group.' : p.message));
      return this.render(key, req, res, 400, { bulkErrors: messages });
    }
    const project = await this.projects.getByKey(key);
    const { results } = await this.bulkUpdate.execute(project.id, value);
    const failed = results.filter((r) => !r.ok);
    const url = new URL(safeReturnTo(body.back) ?? listUrl(key, { sort: DEFAULT_GROUP_SORT }), 'http://ui.invalid');
    for (const name of ['done', 'ok', 'failed', 'why']) url.searchParams.delete(name);
    url.searchParams.set('done', 'bulk');
    url.searchParams.set('ok', String(results.length - failed.length));
    url.searchParams.set('failed', String(failed.length));
    if (failed[0]?.error) url.searchParams.set('why', failed[0].error.code);
    res.redirect(303, `${url.pathname}${url.search}`);
  }

  private async render(key: string, req: Request, res: Response, status: number, extras: Record<string, unknown>): Promise<void> {
    const entity = await this.projects.getByKey(key);
    const project = ProjectResponseDto.from(entity);
    const asked = {
      sort: formText(req.query.sort) || undefined,
      state: formText(req.query.state) || undefined,
      assignee: formText(req.query.assignee) || undefined,
      ticketStatus: formText(req.query.ticketStatus) || undefined,
      q: formText(req.query.q) || undefined,
      cursor: formText(req.query.cursor) || undefined,
    };
    const { value, problems } = validateAs(ListGroupsQueryDto, asked);
    // A bad value is shown next to its filter; the list drops just that one.
    const bad = new Set(problems.map((p) => p.path));
    const keep = <K extends keyof typeof asked>(name: K) => (bad.has(name) ? undefined : value[name]);
    const view: ListView = { sort: keep('sort') ?? DEFAULT_GROUP_SORT, state: keep('state'), assignee: keep('assignee'), ticketStatus: keep('ticketStatus'), q: keep('q') };
    const { result, cursorProblem } = await this.page(entity.id, view, keep('cursor'));
    const allProblems: FormProblem[] = cursorProblem ? [...problems, cursorProblem] : problems;
    const settings = await this.integrations.findSettings(entity.id);
    const versionAttribute = settings?.fixVersionSync.versionAttribute ?? 'version';
    res.status(status).render(
      'groups',
      page(
        req,
        `Groups · ${project.name}`,
        {
          project,
          filter: { ...asked, sort: view.sort },
          filterErrors: toFieldErrors(allProblems),
          sortOptions: GROUP_SORTS,
          stateOptions: STATE_OPTIONS,
          ticketStatuses: await this.listGroups.ticketStatuses(entity.id),
          unassigned: UNASSIGNED,
          noTicket: NO_TICKET,
          jiraConfigured: Boolean(settings),
          headers: { count: sortHeader(key, view, 'count'), lastSeen: sortHeader(key, view, 'lastSeen') },
          groups: result.items.map((g) => tableRow(key, g, versionAttribute)),
          nextPage: result.nextCursor ? listUrl(key, view, result.nextCursor) : undefined,
          firstPage: keep('cursor') ? listUrl(key, view) : undefined,
          back: this.backUrl(key, req),
          ...extras,
        },
        { projectKey: project.key, section: 'groups' },
      ),
    );
  }

  /** One page; a cursor the list refuses (another sort, garbage) is reported and the first page shown. */
  private async page(projectId: string, view: ListView, cursor: string | undefined): Promise<{ result: GroupListResponseDto; cursorProblem?: FormProblem }> {
    const query = { projectId, ...view, limit: PAGE_SIZE };
    try {
      return { result: await this.listGroups.execute({ ...query, cursor }) };
    } catch (err) {
      if (!(err instanceof DomainError) || err.status !== 400 || !cursor) throw err;
      return { result: await this.listGroups.execute(query), cursorProblem: { path: 'cursor', message: err.message } };
    }
  }

  /** Where the bulk form returns to: the page as sorted, filtered and paged, without the last notice. */
  private backUrl(key: string, req: Request): string {
    if (req.method !== 'GET') return safeReturnTo((req.body as Record<string, unknown>).back) ?? listUrl(key, { sort: DEFAULT_GROUP_SORT });
    const url = new URL(req.originalUrl, 'http://ui.invalid');
    for (const name of ['done', 'ok', 'failed', 'why']) url.searchParams.delete(name);
    return `${url.pathname}${url.search}`;
  }
}
