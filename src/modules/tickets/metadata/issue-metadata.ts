import { JiraClient, JiraCreateMetaField, JiraField } from '@app/modules/jira/client';
import { AllowedValue, FieldMeta, JiraFlavour } from '@app/modules/templates';

/** What creating an issue of the configured type needs to know about the Jira project. */
export interface IssueMetadata {
  flavour: JiraFlavour;
  issueType: { id: string; name: string };
  /** /field and the create screen's fields, with allowedValues from create metadata where Jira gives them. */
  fields: FieldMeta[];
  /** Create-screen fields of the issue type, from createmeta. */
  createFields: JiraCreateMetaField[];
}

export class IssueTypeNotFoundError extends Error {
  constructor(
    readonly issueType: string,
    readonly available: string[],
  ) {
    super(`issue type '${issueType}' does not exist in the project (available: ${available.join(', ') || 'none'})`);
  }
}

function toFieldMeta(f: JiraField, screen?: JiraCreateMetaField): FieldMeta {
  const allowed = screen && usableValues(screen);
  return {
    id: f.id,
    name: f.name,
    schema: { type: f.schema?.type ?? 'any', items: f.schema?.items, custom: f.schema?.custom, system: f.schema?.system },
    ...(allowed ? { allowedValues: allowed } : {}),
    ...(screen ? { onScreen: true } : {}),
  };
}

/** Allowed values Jira takes on create: a disabled option is still listed, but refused. */
function usableValues(f: JiraCreateMetaField): AllowedValue[] | undefined {
  return f.allowedValues?.filter((v) => !(v && typeof v === 'object' && (v as { disabled?: unknown }).disabled === true)) as AllowedValue[] | undefined;
}

/**
 * /field and the create screen together, one entry per id, screen fields marked: a name shared
 * with another project's field (team-managed projects) resolves to the one on this screen.
 */
export function screenAwareFields(allFields: JiraField[], createFields: JiraCreateMetaField[]): FieldMeta[] {
  const screen = new Map(createFields.map((f) => [f.fieldId, f]));
  const fields = allFields.map((f) => toFieldMeta(f, screen.get(f.id)));
  const known = new Set(fields.map((f) => f.id));
  for (const f of createFields) {
    if (known.has(f.fieldId)) continue;
    const allowed = usableValues(f);
    fields.push({ id: f.fieldId, name: f.name, schema: { ...f.schema }, ...(allowed ? { allowedValues: allowed } : {}), onScreen: true });
  }
  return fields;
}

/** Reads flavour, fields and create metadata for one issue type (3-4 GETs, cached by the caller). */
export async function loadIssueMetadata(client: JiraClient, projectKey: string, issueTypeName: string): Promise<IssueMetadata> {
  const [flavour, allFields, issueTypes] = await Promise.all([client.flavour(), client.listFields(), client.getCreateMetaIssueTypes(projectKey)]);
  const wanted = issueTypeName.toLowerCase();
  const issueType = issueTypes.find((t) => t.name.toLowerCase() === wanted || t.id === issueTypeName);
  if (!issueType) throw new IssueTypeNotFoundError(issueTypeName, issueTypes.map((t) => t.name));
  const createFields = await client.getCreateMetaFields(projectKey, issueType.id);
  return { flavour, issueType: { id: issueType.id, name: issueType.name }, fields: screenAwareFields(allFields, createFields), createFields };
}
