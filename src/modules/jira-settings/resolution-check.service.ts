import { Injectable, Logger } from '@nestjs/common';
import { badRequest, DomainError } from '@app/common/errors/domain-error';
import { InteractiveJiraClients } from '@app/modules/jira/interactive-jira-client';
import { ProjectsService } from '@app/modules/projects/projects.service';
import { assertStoredSecretUsable } from './domain/auth-secret-plan';
import { mapsResolutions, unknownResolutions } from './domain/resolution-names';
import { connectionOf, JiraIntegrationService } from './jira-integration.service';
import { JiraSettings } from './jira-settings';

type CheckedSettings = Pick<JiraSettings, 'apiUrl' | 'auth' | 'statusMapping'>;

/**
 * On save, a statusMapping resolution Jira does not have is refused (400 naming the entry) when
 * Jira can be asked with the settings being saved. When it cannot (unreachable, credentials
 * refused, no token at hand), the settings are saved and a transition that needs the
 * resolution reports it in the activity log at run time.
 */
@Injectable()
export class ResolutionCheckService {
  private readonly logger = new Logger('JiraSettings');

  constructor(
    private readonly clients: InteractiveJiraClients,
    private readonly projects: ProjectsService,
    private readonly integrations: JiraIntegrationService,
  ) {}

  /** `typedSecret`: the token of this PUT; without one, the stored token when it belongs to the same site and auth type. */
  async assertKnown(projectKey: string, settings: CheckedSettings, typedSecret: string | undefined): Promise<void> {
    if (!mapsResolutions(settings.statusMapping)) return;
    const secret = typedSecret ?? (await this.storedSecret(projectKey, settings));
    if (secret === undefined) return;
    let names: string[];
    try {
      names = (await this.clients.create(connectionOf(settings, secret)).listResolutions()).map((r) => r.name);
    } catch (err) {
      this.logger.debug({ msg: 'resolutions not checked on save: Jira could not be asked', error: (err as Error).message });
      return;
    }
    const [first] = unknownResolutions(settings.statusMapping, names);
    if (first) throw badRequest('UNKNOWN_RESOLUTION', `${first.field}: ${first.message}`, first.field);
  }

  private async storedSecret(projectKey: string, settings: CheckedSettings): Promise<string | undefined> {
    const project = await this.projects.getRefByKey(projectKey);
    const saved = await this.integrations.findSaved(project.id);
    if (!saved || typeof saved.secret !== 'string') return undefined;
    try {
      // The rule the save itself applies: the stored token only for the same site and auth type.
      assertStoredSecretUsable(settings.auth.type, settings.apiUrl, { authType: saved.settings.auth.type, apiUrl: saved.settings.apiUrl });
    } catch (err) {
      if (err instanceof DomainError) return undefined; // the save answers it with its 400
      throw err;
    }
    return saved.secret;
  }
}
