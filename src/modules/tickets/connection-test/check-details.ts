import { JiraConfigError, JiraCreateMetaField, JiraError } from '@app/modules/jira/client';
import { JiraSettings } from '@app/modules/jira-settings/jira-settings';
import { FieldMeta, resolveField } from '@app/modules/templates';

/** Fields every created issue gets from the settings themselves (Backtrace's "Required Fields"). */
const FILLED_BY_US = ['summary', 'description', 'labels', 'project', 'issuetype', 'reporter'];

/** A failed Jira call as a check detail, with Jira's own message; never a 500. */
export function describeFailure(error: unknown, apiUrl: string): string {
  if (error instanceof JiraError) {
    if (error.status === undefined) return `could not reach Jira at ${apiUrl}: ${error.message}`;
    return error.message;
  }
  if (error instanceof JiraConfigError) return `${error.field}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}

/** The 401 wording names what to fix for the auth type in use. */
export function describeAuthFailure(error: unknown, settings: JiraSettings): string {
  if (error instanceof JiraError && error.kind === 'auth') {
    const what = settings.auth.type === 'basic' ? 'the email and API token' : 'the personal access token';
    return `Jira answered ${error.status ?? 401}: check ${what}`;
  }
  return describeFailure(error, settings.apiUrl);
}

/** Field ids the settings fill: ours, the fieldMapping targets and the custom fields that resolve. */
function filledFieldIds(settings: JiraSettings, fields: FieldMeta[]): Set<string> {
  const filled = new Set(FILLED_BY_US);
  const refs = [settings.fieldMapping?.labels, settings.fieldMapping?.description, ...(settings.customFields ?? []).map((c) => c.field)];
  for (const ref of refs) {
    if (!ref?.trim()) continue;
    const r = resolveField(ref, fields);
    if (r.ok) filled.add(r.field.id);
  }
  return filled;
}

/** One line per required create-screen field that has no default and that nothing fills. */
export function missingRequiredFields(settings: JiraSettings, createFields: JiraCreateMetaField[], fields: FieldMeta[], issueTypeName: string): string[] {
  const filled = filledFieldIds(settings, fields);
  return createFields
    .filter((f) => f.required && !f.hasDefaultValue && !filled.has(f.fieldId))
    .map((f) => `Jira requires field '${f.name}' (${f.fieldId}) for ${issueTypeName}; add it under Custom fields`);
}

/** Field references in the settings that do not name exactly one Jira field. */
export function fieldReferenceProblems(settings: JiraSettings, fields: FieldMeta[]): string[] {
  const problems: string[] = [];
  for (const [key, ref] of Object.entries(settings.fieldMapping ?? {})) {
    if (!ref?.trim()) continue;
    const r = resolveField(ref, fields);
    if (!r.ok) problems.push(`fieldMapping.${key}: ${r.error}`);
  }
  for (const entry of settings.customFields ?? []) {
    const r = resolveField(entry.field, fields);
    if (!r.ok) problems.push(r.error);
    else if (r.field.id === 'project' || r.field.id === 'issuetype') {
      problems.push(`field '${r.field.name}' is set by the ${r.field.id === 'project' ? 'projectKey' : 'issueType'} setting, not under Custom fields`);
    }
  }
  return problems;
}

/** Informational: Fix Version sync reads fixVersions, which people can only set when a screen shows it. */
export function fixVersionsNote(settings: JiraSettings, createFields: JiraCreateMetaField[] | null, issueTypeName: string): string | null {
  if (!settings.fixVersionSync?.enabled) return null;
  if (!createFields) return 'could not check whether Fix versions is on the create screen';
  return createFields.some((f) => f.fieldId === 'fixVersions')
    ? `Fix versions is on the ${issueTypeName} create screen (Fix Version sync)`
    : `note: Fix versions is not on the ${issueTypeName} create screen; Fix Version sync needs it on the screens where issues are resolved`;
}
