import { Injectable } from '@nestjs/common';
import { JiraClient, JiraCreateMetaIssueType, JiraUser } from '@app/modules/jira/client';
import { ProjectsService } from '@app/modules/projects/projects.service';
import { JiraIntegrationService, connectionOf } from '@app/modules/jira-settings/jira-integration.service';
import { screenAwareFields } from '@app/modules/tickets/metadata/issue-metadata';
import {
  describeAuthFailure, describeFailure, fieldReferenceProblems, fixVersionsNote, missingRequiredFields,
} from './check-details';
import { CheckName, ConnectionCheckDto, ConnectionTestResultDto, PermissionCheckDto } from '@app/modules/tickets/connection-test/dto/connection-test-result.dto';
import { InteractiveJiraClients } from '@app/modules/jira/interactive-jira-client';
import { permissionChecks, skippedPermissionChecks } from './permission-checks';
import { routeChecks, skippedRouteChecks } from './route-checks';
import { TestTarget, resolveTestTarget } from './test-target';
import { resolutionProblems, unusableValueProblems } from './value-checks';

type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };
const settle = <T>(p: Promise<T>): Promise<Settled<T>> => p.then((value) => ({ ok: true as const, value }), (error: unknown) => ({ ok: false as const, error }));

/**
 * Test connection: auth → project → issue type, each needing the one before (a failure skips
 * the rest), then required fields and field references, which both need the issue type but
 * not each other, so a typo and the required field it was meant to fill show together.
 * Once the project is found, the account's rights on it are checked one by one, in their own list.
 * Jira failures become failed checks; only bad input is an HTTP error.
 */
@Injectable()
export class RunConnectionTestUseCase {
  constructor(
    private readonly projects: ProjectsService,
    private readonly integrations: JiraIntegrationService,
    private readonly clients: InteractiveJiraClients,
  ) {}

  async execute(projectKey: string, body: unknown): Promise<ConnectionTestResultDto> {
    const project = await this.projects.getByKey(projectKey);
    const target = resolveTestTarget(project.key, body, await this.integrations.findSaved(project.id));
    const permissions: PermissionCheckDto[] = [];
    const checks = await this.runChecks(target, permissions);
    checks.push(...(await this.routeChecks(target, checks)));
    return { ok: checks.every((c) => c.ok) && permissions.every((c) => c.ok), checks, permissions };
  }

  private async runChecks({ settings, secret }: TestTarget, permissions: PermissionCheckDto[]): Promise<ConnectionCheckDto[]> {
    const checks: ConnectionCheckDto[] = [];
    const pass = (name: CheckName, detail: string) => checks.push({ name, ok: true, detail });
    const fail = (name: CheckName, detail: string) => checks.push({ name, ok: false, detail });
    const skipRest = (reason: string): ConnectionCheckDto[] => {
      for (const name of ['auth', 'project', 'issueType', 'requiredFields', 'fields'] as const) {
        if (!checks.some((c) => c.name === name)) fail(name, `skipped: ${reason}`);
      }
      if (permissions.length === 0) permissions.push(...skippedPermissionChecks(reason));
      return checks;
    };

    let client: JiraClient;
    let me: JiraUser;
    try {
      // No saved flavour: the URL under test may point at another Jira.
      client = this.clients.create(connectionOf(settings, secret));
      me = await client.myself();
      const who = me.displayName ?? me.name ?? me.accountId ?? 'unknown user';
      const id = me.emailAddress ?? me.name ?? me.accountId;
      pass('auth', `Authenticated as ${who}${id && id !== who ? ` (${id})` : ''} on ${await this.flavourName(client)}`);
    } catch (e) {
      fail('auth', describeAuthFailure(e, settings));
      return skipRest('authentication failed');
    }

    const key = settings.projectKey;
    try {
      const project = await client.getProject(key);
      if (!project) {
        fail('project', `Jira project '${key}' not found, or the account may not browse it`);
        return skipRest(`project '${key}' not found`);
      }
      pass('project', `Found project ${project.key} (${project.name})`);
      permissions.push(...(await permissionChecks(client, settings, me)));
    } catch (e) {
      fail('project', describeFailure(e, settings.apiUrl));
      return skipRest('the project could not be read');
    }

    const wanted = settings.issueType?.trim() || 'Bug';
    let issueType: JiraCreateMetaIssueType | undefined;
    try {
      const types = await client.getCreateMetaIssueTypes(key);
      issueType = types.find((t) => t.name.toLowerCase() === wanted.toLowerCase() || t.id === wanted);
      if (!issueType) {
        fail('issueType', `issue type '${wanted}' cannot be created in ${key} (available: ${types.map((t) => t.name).join(', ') || 'none'})`);
        return skipRest(`issue type '${wanted}' not found`);
      }
      pass('issueType', `Issues of type ${issueType.name} (id ${issueType.id}) can be created in ${key}`);
    } catch (e) {
      fail('issueType', describeFailure(e, settings.apiUrl));
      return skipRest('the issue types could not be read');
    }

    const [createFields, allFields] = await Promise.all([settle(client.getCreateMetaFields(key, issueType.id)), settle(client.listFields())]);
    const typeName = issueType.name;

    if (!createFields.ok) fail('requiredFields', describeFailure(createFields.error, settings.apiUrl));
    else {
      const metas = screenAwareFields(allFields.ok ? allFields.value : [], createFields.value);
      const missing = missingRequiredFields(settings, createFields.value, metas, typeName);
      if (missing.length) fail('requiredFields', missing.join('; '));
      else pass('requiredFields', `every required field of ${typeName} is filled or has a default`);
    }

    if (!allFields.ok) fail('fields', describeFailure(allFields.error, settings.apiUrl));
    else {
      // Names resolve as creating an issue resolves them: the create screen's field wins.
      const metas = screenAwareFields(allFields.value, createFields.ok ? createFields.value : []);
      const problems = fieldReferenceProblems(settings, metas);
      if (createFields.ok) problems.push(...(await unusableValueProblems(settings, metas, createFields.value, client)));
      problems.push(...(await resolutionProblems(settings, client)));
      const note = fixVersionsNote(settings, createFields.ok ? createFields.value : null, typeName);
      const n = settings.customFields?.length ?? 0;
      const summary = problems.length ? problems.join('; ') : n === 0 ? 'no custom fields configured' : n === 1 ? 'the custom field exists in Jira' : `all ${n} custom fields exist in Jira`;
      (problems.length ? fail : pass)('fields', note ? `${summary}; ${note}` : summary);
    }
    return checks;
  }

  /** Each route's checks after the top level's (the default route's): they need only the authentication to have passed. */
  private async routeChecks({ settings, secret }: TestTarget, checks: ConnectionCheckDto[]): Promise<ConnectionCheckDto[]> {
    if (settings.routes.length === 0) return [];
    if (!checks.some((c) => c.name === 'auth' && c.ok)) return skippedRouteChecks(settings, 'authentication failed');
    return routeChecks(this.clients.create(connectionOf(settings, secret)), settings);
  }

  private async flavourName(client: JiraClient): Promise<string> {
    try {
      return (await client.flavour()) === 'cloud' ? 'Jira Cloud' : 'Jira Data Center';
    } catch (e) {
      return `Jira (deployment type not detected: ${describeFailure(e, client.apiUrl)})`;
    }
  }
}
