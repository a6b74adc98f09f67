import { Body, Controller, Get, Param, Post, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Request, Response } from 'express';
import { DomainError } from '@app/common/errors/domain-error';
import { CHANGE_TYPES } from '@app/database/repositories/group-change.repository';
import { Public } from '@app/modules/projects/auth/auth.decorators';
import { ProjectResponseDto } from '@app/modules/projects/dto/project-response.dto';
import { ProjectsService } from '@app/modules/projects/projects.service';
import { PutNotificationsDto } from '@app/modules/notifications/dto/notification-settings.dto';
import { DeleteNotificationsUseCase } from '@app/modules/notifications/use-cases/delete-notifications.use-case';
import { NotificationsOverviewUseCase } from '@app/modules/notifications/use-cases/notifications-overview.use-case';
import { PutNotificationsUseCase } from '@app/modules/notifications/use-cases/put-notifications.use-case';
import { FieldErrors, toFieldErrors, validateAs } from '@app/modules/ui/forms/form-errors';
import { UiSessionGuard } from '@app/modules/ui/session/ui-session.guard';
import { UiExceptionFilter } from '@app/modules/ui/ui-exception.filter';
import { notificationsPath } from '@app/modules/ui/ui-paths';
import { page } from './page-context';

/** What each event type means, in the order the form lists them. */
const EVENT_HINTS: Record<(typeof CHANGE_TYPES)[number], string> = {
  'group.created': 'the first report of a new error',
  'group.state_changed': 'a person or Jira changes the state',
  'group.assigned': 'a person or Jira changes the assignee',
  'group.regressed': 'a report reopens a resolved group',
  'ticket.linked': 'a Jira issue is created or linked',
  'ticket.unlinked': 'the issue is unlinked or deleted in Jira',
  'comment.added': 'a Jira comment arrives or a note is added here',
};

const DONE: Record<string, string> = { saved: 'Notification settings saved.', deleted: 'Notifications deleted: nothing more is sent.' };

/** What the form shows: the values typed (after an error) or stored. Never the secret. */
interface NotificationsForm {
  url: string;
  events: string[];
}

/** A form field's values: one checked box is a string, several an array, none undefined. */
const listOf = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : typeof v === 'string' ? [v] : []);

/** A project's outbound notifications: the receiver (url, events, secret), and how its deliveries go. */
@ApiExcludeController()
@Public()
@UseGuards(UiSessionGuard)
@UseFilters(UiExceptionFilter)
@Controller('ui/projects/:key/notifications')
export class NotificationsPagesController {
  constructor(
    private readonly projects: ProjectsService,
    private readonly overview: NotificationsOverviewUseCase,
    private readonly putSettings: PutNotificationsUseCase,
    private readonly deleteSettings: DeleteNotificationsUseCase,
  ) {}

  @Get()
  async show(@Param('key') key: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const notice = typeof req.query.done === 'string' ? DONE[req.query.done] : undefined;
    await this.render(req, res, key, 200, { notice });
  }

  /** As PUT …/notifications takes it; an empty secret keeps the stored one. */
  @Post()
  async save(@Param('key') key: string, @Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response): Promise<void> {
    const form: NotificationsForm = { url: typeof body.url === 'string' ? body.url.trim() : '', events: listOf(body.events) };
    const secret = typeof body.secret === 'string' && body.secret !== '' ? body.secret : undefined;
    const { value, problems } = validateAs(PutNotificationsDto, { url: form.url, events: form.events, ...(secret === undefined ? {} : { secret }) });
    if (problems.length) {
      return this.render(req, res, key, 400, { form, errors: toFieldErrors(problems, (p) => /^[a-z]+/i.exec(p)?.[0] ?? 'form') });
    }
    const project = await this.projects.getByKey(key);
    try {
      await this.putSettings.execute(project.id, value);
    } catch (err) {
      if (err instanceof DomainError && err.status < 500) return this.render(req, res, key, err.status, { form, errors: { [err.field ?? 'form']: [err.message] } });
      throw err;
    }
    res.redirect(303, `${notificationsPath(key)}?done=saved`);
  }

  @Post('delete')
  async remove(@Param('key') key: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const project = await this.projects.getByKey(key);
    try {
      await this.deleteSettings.execute(project.id);
    } catch (err) {
      if (err instanceof DomainError && err.status === 404) return this.render(req, res, key, 404, { errors: { form: ['There are no notification settings to delete.'] } });
      throw err;
    }
    res.redirect(303, `${notificationsPath(key)}?done=deleted`);
  }

  private async render(req: Request, res: Response, key: string, status: number, s: { form?: NotificationsForm; errors?: FieldErrors; notice?: string }): Promise<void> {
    const entity = await this.projects.getByKey(key);
    const project = ProjectResponseDto.from(entity);
    const { settings, backlog, attempts } = await this.overview.execute(entity.id, entity.key);
    const form = s.form ?? { url: settings?.url ?? '', events: settings?.events ?? [] };
    const events = CHANGE_TYPES.map((type) => ({ type, hint: EVENT_HINTS[type], checked: form.events.includes(type) }));
    res.status(status).render(
      'notifications',
      page(req, `Notifications · ${project.name}`, { project, settings, backlog, attempts, form, events, errors: s.errors, notice: s.notice }, { projectKey: project.key, section: 'notifications' }),
    );
  }
}
