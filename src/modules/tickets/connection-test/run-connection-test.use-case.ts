import { Injectable } from '@nestjs/common';
import { JiraClient, JiraUser } from '@app/modules/jira/client';
import { ProjectsService } from '@app/modules/projects/projects.service';
import { JiraIntegrationService, connectionOf } from '@app/modules/jira-settings/jira-integration.service';
import { describeAuthFailure, describeFailure, fixVersionsNote } from './check-details';
import { CheckName, ConnectionCheckDto, ConnectionTestResultDto, PermissionCheckDto } from '@app/modules/tickets/connection-test/dto/connection-test-result.dto';
import { InteractiveJiraClients } from '@app/modules/jira/interactive-jira-client';
import { permissionChecks, skippedPermissionChecks } from './permission-checks';
import { routeChecks, skippedRouteChecks } from './route-checks';
import { TestTarget, resolveTestTarget } from './test-target';
import { checkTarget, settle } from './target-checks';
import { resolutionProblems } from './value-checks';

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

    await checkTarget(client, settings, { pass, fail, skipRest }, {
      projectFound: async () => {
        permissions.push(...(await permissionChecks(client, settings, me)));
      },
      allFields: () => settle(client.listFields()),
      moreFieldProblems: () => resolutionProblems(settings, client),
      fieldsNote: (screen, issueType) => fixVersionsNote(settings, screen, issueType),
    });
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
