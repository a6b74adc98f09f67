import { Injectable } from '@nestjs/common';
import { badRequest, notFound } from '@app/common/errors/domain-error';
import { ProjectEntity } from '@app/database/entities';
import { GroupQueryRepository } from '@app/database/repositories/group-queries.repository';
import { ProjectsService } from '@app/modules/projects/projects.service';
import { JiraIntegrationService, connectionOf } from '@app/modules/jira-settings/jira-integration.service';
import { JiraIntegration, JiraSettings } from '@app/modules/jira-settings/jira-settings';
import { FieldMeta, JiraFlavour, TemplateGroup, buildIssueFields } from '@app/modules/templates';
import { describeFailure } from '@app/modules/tickets/connection-test/check-details';
import { InteractiveJiraClients } from '@app/modules/jira/interactive-jira-client';
import { ticketMarker } from '@app/modules/tickets/creation/marker';
import { FieldMetadataService } from '@app/modules/tickets/metadata/field-metadata.service';
import { PreviewRequestDto } from '@app/modules/tickets/preview/dto/preview-request.dto';
import { PreviewResponseDto } from '@app/modules/tickets/preview/dto/preview-response.dto';
import { inlineTemplateGroup, parsePreviewSource } from './preview-group';
import { toTemplateGroup } from '@app/modules/tickets/creation/template-group';
import { routeExists, routeNames, routeSettings, selectRoute } from '@app/modules/tickets/routing';

interface PreviewMetadata {
  fields: FieldMeta[];
  flavour: JiraFlavour;
  issueType: { id?: string; name: string };
}

/**
 * The issue the ticket creator would POST for a group, without POSTing it: the same
 * buildIssueFields, the same marker label, the same cached field metadata. Only metadata
 * GETs reach Jira. `route` picks the route to preview; without it, the route the group's
 * conditions select now.
 */
@Injectable()
export class PreviewIssueUseCase {
  constructor(
    private readonly groups: GroupQueryRepository,
    private readonly projects: ProjectsService,
    private readonly integrations: JiraIntegrationService,
    private readonly metadata: FieldMetadataService,
    private readonly clients: InteractiveJiraClients,
  ) {}

  async execute(projectKey: string, dto: PreviewRequestDto): Promise<PreviewResponseDto> {
    const project = await this.projects.getByKey(projectKey);
    const source = parsePreviewSource(dto);
    const integration = await this.integrations.find(project.id, undefined, 'api');
    if (!integration) throw notFound('INTEGRATION_NOT_FOUND', `project '${project.key}' has no Jira settings`);
    if (dto.route !== undefined && !routeExists(integration.settings, dto.route)) {
      throw badRequest('UNKNOWN_ROUTE', `route '${dto.route}' does not exist; the routes are: ${routeNames(integration.settings).join(', ')}`, 'route');
    }

    const group = source.kind === 'stored' ? await this.storedGroup(project, source.fingerprint) : inlineTemplateGroup(source.report, project, new Date());
    const route = routeSettings(integration.settings, dto.route ?? selectRoute(integration.settings, group));
    const { settings } = route;
    const warnings: string[] = [];
    const meta = await this.readMetadata(integration, settings, warnings);
    const built = buildIssueFields({
      settings,
      group,
      fields: meta.fields,
      flavour: meta.flavour,
      projectKey: settings.projectKey,
      issueType: meta.issueType,
      marker: { label: ticketMarker(project.key, group.fingerprint) },
    });
    // The contract lists coercion failures among the warnings; `errors` keeps them structured.
    return { route: route.name, fields: built.fields, warnings: [...warnings, ...built.warnings, ...built.errors.map((e) => e.message)], errors: built.errors };
  }

  private async storedGroup(project: ProjectEntity, fingerprint: string): Promise<TemplateGroup> {
    const g = await this.groups.findByFingerprint(project.id, fingerprint);
    if (!g) throw notFound('GROUP_NOT_FOUND', `group '${fingerprint}' not found`);
    return toTemplateGroup(g, project);
  }

  /** Without metadata the preview still renders, with the system fields' well-known schemas. */
  private async readMetadata(integration: JiraIntegration, settings: JiraSettings, warnings: string[]): Promise<PreviewMetadata> {
    try {
      const client = this.clients.create(connectionOf(settings, integration.secret, integration.flavour));
      const m = await this.metadata.get(integration, client, settings);
      return { fields: m.fields, flavour: m.flavour, issueType: m.issueType };
    } catch (e) {
      warnings.push(`could not read field metadata from Jira: ${describeFailure(e, settings.apiUrl)}`);
      const flavour: JiraFlavour = integration.flavour ?? (settings.auth.type === 'bearer' ? 'datacenter' : 'cloud');
      return { fields: [], flavour, issueType: { name: settings.issueType || 'Bug' } };
    }
  }
}
