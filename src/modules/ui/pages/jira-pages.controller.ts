import { Body, Controller, Get, Param, Post, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Request, Response } from 'express';
import { DomainError } from '@app/common/errors/domain-error';
import { ListGroupsUseCase } from '@app/modules/ingestion/use-cases/list-groups.use-case';
import { Public } from '@app/modules/projects/auth/auth.decorators';
import { ProjectResponseDto } from '@app/modules/projects/dto/project-response.dto';
import { ProjectsService } from '@app/modules/projects/projects.service';
import { JiraSettingsResponseDto } from '@app/modules/jira-settings/dto/jira-settings-response.dto';
import { PutJiraSettingsDto } from '@app/modules/jira-settings/dto/put-jira-settings.dto';
import { GetJiraSettingsUseCase } from '@app/modules/jira-settings/use-cases/get-jira-settings.use-case';
import { PutJiraSettingsUseCase } from '@app/modules/jira-settings/use-cases/put-jira-settings.use-case';
import { RotateWebhookSecretUseCase } from '@app/modules/jira-settings/use-cases/rotate-webhook-secret.use-case';
import { ManualWebhookSteps } from '@app/modules/jira-settings/domain/jira-webhook-spec';
import { WebhookNeedsAdminError } from '@app/modules/jira-settings/jira-webhook.service';
import { DeleteJiraWebhookUseCase } from '@app/modules/jira-settings/use-cases/delete-jira-webhook.use-case';
import { RegisterJiraWebhookUseCase } from '@app/modules/jira-settings/use-cases/register-jira-webhook.use-case';
import { RunConnectionTestUseCase } from '@app/modules/tickets/connection-test/run-connection-test.use-case';
import { PreviewIssueUseCase } from '@app/modules/tickets/preview/preview-issue.use-case';
import { CONDITION_OPS } from '@app/modules/conditions';
import { FieldErrors, FormProblem, toFieldErrors, validateAs } from '@app/modules/ui/forms/form-errors';
import {
  AFFECTS_OPTIONS, JiraForm, STATE_OPTIONS, compactForm, formFromSettings, readBehaviourTab, readConnectionTab, readRoutesTab, toPutBody,
} from '@app/modules/ui/forms/jira-settings-form';
import { formFieldOf, problemField } from '@app/modules/ui/forms/jira-settings-form-fields';
import { LIST_BLANKS, applyListAction, parseListAction } from '@app/modules/ui/forms/list-actions';
import { valueMapProblems } from '@app/modules/ui/forms/value-maps-form';
import { formText } from '@app/modules/ui/forms/form-text';
import { SAMPLE_GROUP, previewView } from '@app/modules/ui/forms/preview-view';
import { UiSessionGuard } from '@app/modules/ui/session/ui-session.guard';
import { UiExceptionFilter } from '@app/modules/ui/ui-exception.filter';
import { JiraTab, jiraPath } from '@app/modules/ui/ui-paths';
import { page } from './page-context';

const TABS: readonly JiraTab[] = ['connection', 'behaviour', 'routes'];
const tabOf = (v: unknown): JiraTab => (TABS.includes(v as JiraTab) ? (v as JiraTab) : 'connection');

interface JiraPageState {
  tab: JiraTab;
  form: JiraForm;
  /** The form changed by a list button (add, move, remove) and shown again, not saved yet. */
  unsaved?: boolean;
  /** The field the page puts the cursor in: the row or route a list button added or moved. */
  focus?: string;
  saved: JiraSettingsResponseDto | null;
  errors?: FieldErrors;
  notice?: string;
  /** The webhook secret, right after it was created or rotated (never shown again). */
  newSecret?: { secret: string; urlWithSecret?: string };
  checks?: unknown;
  preview?: unknown;
  /** What the preview form had chosen, to show it chosen again. */
  previewChoice?: { fingerprint: string; route: string };
  /** What to register by hand when Jira refused the bridge the admin webhook API. */
  webhookManual?: ManualWebhookSteps;
}

/**
 * Three tabs: Connection (site, credentials, templates, fields, versions) with Test
 * connection and Preview, Behaviour (sync directions, mappings, creation rules), and
 * Routes (routes and value maps, with Preview). Each tab saves the whole integration
 * through the same use case as the API's PUT, with the other tabs' values taken from
 * what is saved. The list editors' buttons work without JavaScript (list-actions.ts).
 */
@ApiExcludeController()
@Public()
@UseGuards(UiSessionGuard)
@UseFilters(UiExceptionFilter)
@Controller('ui/projects/:key/jira')
export class JiraPagesController {
  constructor(
    private readonly projects: ProjectsService,
    private readonly getSettings: GetJiraSettingsUseCase,
    private readonly putSettings: PutJiraSettingsUseCase,
    private readonly rotateSecret: RotateWebhookSecretUseCase,
    private readonly runTest: RunConnectionTestUseCase,
    private readonly preview: PreviewIssueUseCase,
    private readonly listGroups: ListGroupsUseCase,
    private readonly registerHook: RegisterJiraWebhookUseCase,
    private readonly removeHook: DeleteJiraWebhookUseCase,
  ) {}

  @Get()
  async show(@Param('key') key: string, @Query('tab') tab: unknown, @Query('saved') saved: unknown, @Req() req: Request, @Res() res: Response): Promise<void> {
    const settings = await this.findSettings(key);
    await this.render(req, res, key, 200, {
      tab: tabOf(tab),
      form: formFromSettings(settings),
      saved: settings,
      notice: saved === '1' ? 'Settings saved.' : undefined,
    });
  }

  /** One form, two buttons: "Save" stores it; "Test connection" tries the values as typed, unsaved. */
  @Post('connection')
  async connection(@Param('key') key: string, @Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response): Promise<void> {
    const saved = await this.findSettings(key);
    const { form, secret } = readConnectionTab(body, formFromSettings(saved));
    const state: JiraPageState = { tab: 'connection', form, saved };
    const putBody = toPutBody(form, secret);
    const { value, problems } = validateAs(PutJiraSettingsDto, putBody);
    if (problems.length) return this.render(req, res, key, 400, { ...state, errors: toFieldErrors(this.atFormFields(problems, form)) });
    try {
      if (body.action === 'test') {
        return await this.render(req, res, key, 200, { ...state, checks: await this.runTest.execute(key, putBody) });
      }
      const stored = await this.putSettings.execute(key, value);
      if (stored.webhook.secret) {
        return await this.render(req, res, key, 200, {
          tab: 'connection',
          form: formFromSettings(stored),
          saved: stored,
          notice: 'Jira integration created. Register the webhook below in Jira.',
          newSecret: { secret: stored.webhook.secret, urlWithSecret: stored.webhook.urlWithSecret },
        });
      }
      res.redirect(303, `${jiraPath(key)}&saved=1`);
    } catch (err) {
      if (err instanceof DomainError && err.status < 500) return this.render(req, res, key, err.status, { ...state, errors: this.domainErrors(err, form) });
      throw err;
    }
  }

  @Post('behaviour')
  async behaviour(@Param('key') key: string, @Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response): Promise<void> {
    const saved = await this.findSettings(key);
    const form = readBehaviourTab(body, formFromSettings(saved));
    await this.saveTab(key, 'behaviour', form, saved, body.action, req, res);
  }

  @Post('routes')
  async routes(@Param('key') key: string, @Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response): Promise<void> {
    const saved = await this.findSettings(key);
    const form = readRoutesTab(body, formFromSettings(saved));
    await this.saveTab(key, 'routes', form, saved, body.action, req, res);
  }

  /**
   * Behaviour and Routes: a list button (`add:routes`, `up:routes[2]`…) shows the form again with
   * the change made, unsaved; Save (or Enter in a field) stores the form without its blank rows.
   */
  private async saveTab(key: string, tab: JiraTab, typed: JiraForm, saved: JiraSettingsResponseDto | null, action: unknown, req: Request, res: Response): Promise<void> {
    const listAction = parseListAction(action);
    if (listAction) {
      const focus = applyListAction(typed, listAction);
      if (focus === null) return this.render(req, res, key, 400, { tab, form: typed, saved, unsaved: true, errors: { form: [`This form has no list item ${listAction.path}.`] } });
      return this.render(req, res, key, 200, { tab, form: typed, saved, unsaved: true, focus });
    }
    const form = compactForm(typed);
    const state: JiraPageState = { tab, form, saved };
    if (!saved) return this.render(req, res, key, 409, { ...state, errors: { form: [`Save the Connection tab first: ${tab} settings belong to a configured integration.`] } });
    const { value, problems } = validateAs(PutJiraSettingsDto, toPutBody(form));
    const formProblems = tab === 'routes' ? valueMapProblems(form.valueMaps) : [];
    if (problems.length || formProblems.length) {
      const api = this.atFormFields(problems, form);
      // The API names one value map problem, about the maps as a whole; the form's name the fields.
      const shown = [...formProblems, ...(formProblems.length ? api.filter((p) => p.path !== 'valueMaps') : api)];
      const errors = toFieldErrors(shown);
      // The page may be long: say at the top that nothing was saved, and put the cursor in the first field named.
      errors.form = ['Nothing was saved: correct the fields marked below.', ...(errors.form ?? [])];
      return this.render(req, res, key, 400, { ...state, errors, focus: shown[0].path });
    }
    try {
      await this.putSettings.execute(key, value);
    } catch (err) {
      if (err instanceof DomainError && err.status < 500) return this.render(req, res, key, err.status, { ...state, errors: this.domainErrors(err, form) });
      throw err;
    }
    res.redirect(303, `${jiraPath(key, tab)}&saved=1`);
  }

  /**
   * The issue a group would get with the saved settings, through the chosen route (none: the one
   * the group's conditions select); the sample group when none is chosen. Shown on the tab it was
   * asked from.
   */
  @Post('preview')
  async previewIssue(@Param('key') key: string, @Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response): Promise<void> {
    const saved = await this.findSettings(key);
    const fingerprint = formText(body.fingerprint) || undefined;
    const route = formText(body.route) || undefined;
    const state: JiraPageState = { tab: tabOf(body.tab), form: formFromSettings(saved), saved, previewChoice: { fingerprint: fingerprint ?? '', route: route ?? '' } };
    if (!saved) return this.render(req, res, key, 409, { ...state, errors: { form: ['Save the settings first: Preview renders the saved templates.'] } });
    try {
      const result = await this.preview.execute(key, { ...(fingerprint ? { fingerprint } : { group: SAMPLE_GROUP }), ...(route ? { route } : {}) });
      await this.render(req, res, key, 200, { ...state, preview: previewView(result, saved, fingerprint, route) });
    } catch (err) {
      if (err instanceof DomainError && err.status < 500) return this.render(req, res, key, err.status, { ...state, errors: { preview: [err.message] } });
      throw err;
    }
  }

  @Post('webhook-secret')
  async rotate(@Param('key') key: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const stored = await this.rotateSecret.execute(key);
    await this.render(req, res, key, 200, {
      tab: 'connection',
      form: formFromSettings(stored),
      saved: stored,
      notice: 'New webhook secret: update the webhook in Jira. The old secret no longer works.',
      newSecret: { secret: stored.webhook.secret!, urlWithSecret: stored.webhook.urlWithSecret },
    });
  }

  /** "Register in Jira" (the API's POST …/webhook); without Jira admin rights the page shows the manual steps. */
  @Post('webhook')
  async registerWebhook(@Param('key') key: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.webhookAction(key, req, res, async () => {
      const hook = await this.registerHook.execute(key);
      return hook.created ? `Webhook registered in Jira (id ${hook.id}).` : `The webhook was already registered in Jira (id ${hook.id}).`;
    });
  }

  @Post('webhook/remove')
  async removeWebhook(@Param('key') key: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.webhookAction(key, req, res, async () => {
      await this.removeHook.execute(key);
      return 'Webhook removed from Jira.';
    });
  }

  private async webhookAction(key: string, req: Request, res: Response, action: () => Promise<string>): Promise<void> {
    const saved = await this.findSettings(key);
    const state: JiraPageState = { tab: 'connection', form: formFromSettings(saved), saved };
    if (!saved) return this.render(req, res, key, 409, { ...state, errors: { form: ['Save the Connection tab first: the webhook belongs to a configured integration.'] } });
    try {
      const notice = await action();
      await this.render(req, res, key, 200, { ...state, saved: await this.findSettings(key), notice });
    } catch (err) {
      const manual = err instanceof WebhookNeedsAdminError ? err.manualSteps : undefined;
      // Jira's own failures (502) are shown on the page too: the person can act on them.
      if (err instanceof DomainError && (err.status < 500 || err.code === 'JIRA_WEBHOOK_FAILED')) {
        return this.render(req, res, key, err.status, { ...state, errors: { webhook: [err.message] }, webhookManual: manual });
      }
      throw err;
    }
  }

  private async findSettings(key: string): Promise<JiraSettingsResponseDto | null> {
    try {
      return await this.getSettings.execute(key);
    } catch (err) {
      if (err instanceof DomainError && err.code === 'INTEGRATION_NOT_FOUND') return null;
      throw err;
    }
  }

  /** The API's problems with their paths turned into the form fields that show them. */
  private atFormFields(problems: FormProblem[], form: JiraForm): FormProblem[] {
    return problems.map((p) => ({ ...p, path: problemField(p, form) }));
  }

  private domainErrors(err: DomainError, form: JiraForm): FieldErrors {
    return { [err.field ? formFieldOf(err.field, form) : 'form']: [err.message] };
  }

  private async render(req: Request, res: Response, key: string, status: number, s: JiraPageState): Promise<void> {
    const entity = await this.projects.getByKey(key);
    const project = ProjectResponseDto.from(entity);
    const groups = (await this.listGroups.execute({ projectId: entity.id, limit: 50 })).items;
    res.status(status).render(
      'jira',
      page(
        req,
        `Jira · ${project.name}`,
        {
          project,
          ...s,
          isConnection: s.tab === 'connection',
          isBehaviour: s.tab === 'behaviour',
          isRoutes: s.tab === 'routes',
          conditionOps: CONDITION_OPS,
          affectsOptions: AFFECTS_OPTIONS,
          routeNames: (s.saved?.routes ?? []).map((r) => r.name),
          blanks: LIST_BLANKS,
          webhookUrl: s.saved?.webhook.url,
          stateOptions: STATE_OPTIONS,
          groups: groups.map((g) => ({ fingerprint: g.fingerprint, title: g.title })),
          errors: s.errors ?? {},
        },
        { projectKey: project.key, section: 'jira' },
      ),
    );
  }
}
