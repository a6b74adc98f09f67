import { Injectable } from '@nestjs/common';
import { ErrorGroupEntity, ProjectEntity } from '@app/database/entities';
import { JiraClient } from '@app/modules/jira/client';
import { JiraIntegration } from '@app/modules/jira-settings/jira-settings';
import { buildIssueFields } from '@app/modules/templates';
import { AffectedVersionsService } from '@app/modules/tickets/creation/affected-versions/affected-versions.service';
import { CreationRoute } from '@app/modules/tickets/creation/creation-route';
import { ticketMarker } from '@app/modules/tickets/creation/marker';
import { toTemplateGroup } from '@app/modules/tickets/creation/template-group';
import { FieldMetadataService } from '@app/modules/tickets/metadata/field-metadata.service';

export type BuiltIssue = { fields: Record<string, unknown> } | { problem: string; data?: Record<string, unknown> };

/**
 * The create fields of one group's issue, made the way CreateTicketJob makes them (route, templates, value maps,
 * affected versions, the marker label), so an issue made in bulk reads like one made alone.
 */
@Injectable()
export class IssueFieldsBuilder {
  constructor(
    private readonly metadata: FieldMetadataService,
    private readonly affectedVersions: AffectedVersionsService,
  ) {}

  async build(integration: JiraIntegration, client: JiraClient, project: ProjectEntity, group: ErrorGroupEntity, route: CreationRoute): Promise<BuiltIssue> {
    const { settings } = route;
    const meta = await this.metadata.get(integration, client, settings);
    const target = { projectKey: settings.projectKey, issueType: meta.issueType.name, createFields: meta.createFields };
    const versions = await this.affectedVersions.resolve(client, settings, target, group.attributes);
    const built = buildIssueFields({
      settings,
      group: toTemplateGroup(group, project),
      fields: meta.fields,
      flavour: meta.flavour,
      projectKey: settings.projectKey,
      issueType: meta.issueType,
      marker: { label: ticketMarker(project.key, group.fingerprint) },
      affectedVersions: versions.field,
    });
    if (built.errors.length > 0) {
      return { problem: built.errors.map((e) => `${e.field}: ${e.message}`).join('; '), data: { errors: built.errors } };
    }
    return { fields: built.fields };
  }
}
