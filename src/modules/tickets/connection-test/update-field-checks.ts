import { JiraCreateMetaField } from '@app/modules/jira/client';
import { JiraSettings } from '@app/modules/jira-settings/jira-settings';
import { FieldMeta, resolveField } from '@app/modules/templates';

/**
 * settings.updates.fields that Jira would refuse: a reference that names no field (or several), and a field the
 * create screen lacks. Jira edits only what the edit screen shows, which is the create screen unless a project
 * configures its own; a field on neither makes every update fail.
 */
export function updateFieldProblems(settings: Pick<JiraSettings, 'updates'>, fields: FieldMeta[], screen: JiraCreateMetaField[] | null, issueTypeName: string): string[] {
  const problems: string[] = [];
  const onScreen = screen && new Set(screen.map((f) => f.fieldId));
  (settings.updates?.fields ?? []).forEach((entry, i) => {
    const r = resolveField(entry.field, fields);
    if (!r.ok) problems.push(`updates.fields[${i}].field: ${r.error}`);
    else if (onScreen && !onScreen.has(r.field.id)) {
      problems.push(`updates.fields[${i}].field: '${r.field.name}' (${r.field.id}) is not on the screen of ${issueTypeName}; Jira refuses to update it`);
    }
  });
  return problems;
}
