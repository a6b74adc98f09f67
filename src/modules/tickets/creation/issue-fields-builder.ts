import { Injectable } from '@nestjs/common';
import { ErrorGroupEntity, ProjectEntity } from '@app/database/entities';
import { JiraClient, JiraFlavour } from '@app/modules/jira/client';
import { JiraIntegration } from '@app/modules/jira-settings/jira-settings';
import { buildIssueFields } from '@app/modules/templates';
import { AffectedVersions, AffectedVersionsService } from './affected-versions/affected-versions.service';
import { CreationRoute } from './creation-route';
import { ticketMarker } from './marker';
import { toTemplateGroup } from './template-group';
import { FieldMetadataService } from '@app/modules/tickets/metadata/field-metadata.service';

/** The create fields of an issue (and the affected versions they name), or why there are none; the site's flavour either way. */
export type BuiltIssue = { flavour: JiraFlavour } & (
  | { fields: Record<string, unknown>; versions: AffectedVersions }
  | { problem: string; data: { errors: unknown[] } }
);

/**
 * The create fields of one group's issue (route, templates, value maps, affected versions, the marker label): one
 * way for CreateTicketJob and the backfill, so an issue made in bulk reads like one made alone.
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
      return { flavour: meta.flavour, problem: built.errors.map((e) => `${e.field}: ${e.message}`).join('; '), data: { errors: built.errors } };
    }
    return { flavour: meta.flavour, fields: built.fields, versions };
  }
}
