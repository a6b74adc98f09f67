import { JiraClient, JiraCreateMetaField, JiraField } from '@app/modules/jira/client';
import { AllowedValue, FieldMeta, JiraFlavour } from '@app/modules/templates';

/** What creating an issue of the configured type needs to know about the Jira project. */
export interface IssueMetadata {
  flavour: JiraFlavour;
  issueType: { id: string; name: string };
  /** /field, with allowedValues from create metadata where Jira gives them. */
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

function toFieldMeta(f: JiraField, allowed?: unknown[]): FieldMeta {
  return {
    id: f.id,
    name: f.name,
    schema: { type: f.schema?.type ?? 'any', items: f.schema?.items, custom: f.schema?.custom, system: f.schema?.system },
    ...(allowed ? { allowedValues: allowed as AllowedValue[] } : {}),
  };
}

/** Reads flavour, fields and create metadata for one issue type (3-4 GETs, cached by the caller). */
export async function loadIssueMetadata(client: JiraClient, projectKey: string, issueTypeName: string): Promise<IssueMetadata> {
  const [flavour, allFields, issueTypes] = await Promise.all([client.flavour(), client.listFields(), client.getCreateMetaIssueTypes(projectKey)]);
  const wanted = issueTypeName.toLowerCase();
  const issueType = issueTypes.find((t) => t.name.toLowerCase() === wanted || t.id === issueTypeName);
  if (!issueType) throw new IssueTypeNotFoundError(issueTypeName, issueTypes.map((t) => t.name));
  const createFields = await client.getCreateMetaFields(projectKey, issueType.id);
  const allowedById = new Map(createFields.filter((f) => f.allowedValues).map((f) => [f.fieldId, f.allowedValues]));
  const fields = allFields.map((f) => toFieldMeta(f, allowedById.get(f.id)));
  const known = new Set(fields.map((f) => f.id));
  for (const f of createFields) {
    if (!known.has(f.fieldId)) fields.push({ id: f.fieldId, name: f.name, schema: { ...f.schema }, ...(f.allowedValues ? { allowedValues: f.allowedValues as AllowedValue[] } : {}) });
  }
  return { flavour, issueType: { id: issueType.id, name: issueType.name }, fields, createFields };
}
