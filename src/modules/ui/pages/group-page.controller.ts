import { Body, Controller, Get, Param, Post, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Request, Response } from 'express';
import { DomainError } from '@app/common/errors/domain-error';
import { AddCommentDto, NOTE_MAX_CHARS } from '@app/modules/comments/dto/comment.dto';
import { AddNoteUseCase } from '@app/modules/comments/use-cases/add-note.use-case';
import { ListCommentsUseCase } from '@app/modules/comments/use-cases/list-comments.use-case';
import { UpdateGroupDto } from '@app/modules/ingestion/dto/update-group.dto';
import { CHARTED_HOURS, GetGroupOccurrencesUseCase } from '@app/modules/ingestion/use-cases/get-group-occurrences.use-case';
import { GetGroupUseCase } from '@app/modules/ingestion/use-cases/get-group.use-case';
import { UpdateGroupUseCase } from '@app/modules/ingestion/use-cases/update-group.use-case';
import { Public } from '@app/modules/projects/auth/auth.decorators';
import { ProjectResponseDto } from '@app/modules/projects/dto/project-response.dto';
import { ProjectsService } from '@app/modules/projects/projects.service';
import { JiraIntegrationService } from '@app/modules/jira-settings/jira-integration.service';
import { LinkExistingIssueUseCase } from '@app/modules/tickets/linking/link-existing-issue.use-case';
import { RequestTicketUseCase } from '@app/modules/tickets/linking/request-ticket.use-case';
import { STATE_OPTIONS } from '@app/modules/ui/forms/jira-settings-form';
import { validateAs } from '@app/modules/ui/forms/form-errors';
import { formText } from '@app/modules/ui/forms/form-text';
import { UiSessionGuard } from '@app/modules/ui/session/ui-session.guard';
import { UiExceptionFilter } from '@app/modules/ui/ui-exception.filter';
import { groupPath, groupsPath, safeReturnTo } from '@app/modules/ui/ui-paths';
import { histogramBars, sparkline } from './group-views';
import { page } from './page-context';

/** Fixed messages for the redirect after a change (no free text travels in the URL). */
const DONE: Record<string, string> = {
  updated: 'Group updated.',
  requested: 'Ticket requested: it appears here once Jira has created it.',
  linked: 'Jira issue linked.',
  noted: 'Note added.',
};

/** One group: call stack, state, assignee and ticket (with their forms), occurrences by hour and the attribute histograms. */
@ApiExcludeController()
@Public()
@UseGuards(UiSessionGuard)
@UseFilters(UiExceptionFilter)
@Controller('ui/projects/:key/groups/:fingerprint')
export class GroupPageController {
  constructor(
    private readonly projects: ProjectsService,
    private readonly integrations: JiraIntegrationService,
    private readonly getGroup: GetGroupUseCase,
    private readonly occurrences: GetGroupOccurrencesUseCase,
    private readonly updateGroup: UpdateGroupUseCase,
    private readonly requestTicket: RequestTicketUseCase,
    private readonly linkExisting: LinkExistingIssueUseCase,
    private readonly listComments: ListCommentsUseCase,
    private readonly addNote: AddNoteUseCase,
  ) {}

  @Get()
  async show(@Param('key') key: string, @Param('fingerprint') fingerprint: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const done = typeof req.query.done === 'string' ? DONE[req.query.done] : undefined;
    await this.render(key, fingerprint, req, res, 200, { notice: done });
  }

  /** State and assignee, as PATCH /groups/{fingerprint} takes them (an empty assignee unassigns). */
  @Post()
  async update(@Param('key') key: string, @Param('fingerprint') fingerprint: string, @Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response): Promise<void> {
    const assignee = formText(body.assignee);
    const { value, problems } = validateAs(UpdateGroupDto, { state: formText(body.state), assignee: assignee === '' ? null : assignee });
    if (problems.length) return this.render(key, fingerprint, req, res, 400, { failed: problems.map((p) => p.message) });
    const project = await this.projects.getByKey(key);
    await this.act(key, fingerprint, req, res, 'updated', () => this.updateGroup.execute(project.id, fingerprint, value));
  }

  /** "Create ticket" (queued, exactly once) or "Link existing" with an issue key. */
  @Post('ticket')
  async ticket(@Param('key') key: string, @Param('fingerprint') fingerprint: string, @Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response): Promise<void> {
    const project = await this.projects.getByKey(key);
    if (body.action === 'link') {
      const issueKey = formText(body.issueKey);
      if (!issueKey) return this.render(key, fingerprint, req, res, 400, { failed: ['issueKey: enter the key of the Jira issue to link, e.g. CHK-12'] });
      return this.act(key, fingerprint, req, res, 'linked', () => this.linkExisting.execute(project.id, fingerprint, issueKey));
    }
    await this.act(key, fingerprint, req, res, 'requested', () => this.requestTicket.execute(project.id, fingerprint));
  }

  /** A note on the group, as POST …/comments takes it (posted to Jira when comments.outbound is on). */
  @Post('comments')
  async note(@Param('key') key: string, @Param('fingerprint') fingerprint: string, @Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response): Promise<void> {
    const { value, problems } = validateAs(AddCommentDto, { body: typeof body.body === 'string' ? body.body : '' });
    if (problems.length) return this.render(key, fingerprint, req, res, 400, { failed: problems.map((p) => p.message) });
    const project = await this.projects.getByKey(key);
    await this.act(key, fingerprint, req, res, 'noted', () => this.addNote.execute(project.id, fingerprint, value.body, 'UI', 'api'));
  }

  private async act(key: string, fingerprint: string, req: Request, res: Response, done: string, run: () => Promise<unknown>): Promise<void> {
    try {
      await run();
    } catch (err) {
      if (err instanceof DomainError && err.status < 500) return this.render(key, fingerprint, req, res, err.status, { failed: [err.message] });
      throw err;
    }
    const back = safeReturnTo((req.body as Record<string, unknown>).back) ?? groupPath(key, fingerprint);
    const url = new URL(back, 'http://ui.invalid');
    url.searchParams.set('done', done);
    res.redirect(303, `${url.pathname}${url.search}`);
  }

  private async render(key: string, fingerprint: string, req: Request, res: Response, status: number, extras: Record<string, unknown>): Promise<void> {
    const entity = await this.projects.getByKey(key);
    const project = ProjectResponseDto.from(entity);
    const group = await this.getGroup.execute(key, fingerprint);
    const occurrences = await this.occurrences.execute(entity.id, fingerprint);
    const chart = sparkline(occurrences.hours, occurrences.since, occurrences.until);
    const settings = await this.integrations.findSettings(entity.id);
    res.status(status).render(
      'group',
      page(
        req,
        `${group.title} · ${project.name}`,
        {
          project,
          group,
          stateOptions: STATE_OPTIONS,
          jiraConfigured: Boolean(settings),
          comments: (await this.listComments.execute(entity.id, fingerprint)).items,
          noteMaxChars: NOTE_MAX_CHARS,
          notesPosted: Boolean(group.ticket && settings?.enabled && settings.comments.outbound),
          chart,
          chartSince: occurrences.since,
          chartUntil: occurrences.until,
          chartDays: Math.round(CHARTED_HOURS / 24),
          keptDays: Math.round(occurrences.keptHours / 24),
          histograms: histogramBars(group.attributes),
          listUrl: groupsPath(key),
          back: groupPath(key, fingerprint),
          ...extras,
        },
        { projectKey: project.key, section: 'groups' },
      ),
    );
  }
}
