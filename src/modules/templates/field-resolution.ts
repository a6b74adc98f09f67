import type { FieldMeta } from './field-coercion';

/**
 * Settings address a Jira field by id (`customfield_10011`, `labels`) or by its
 * display name (`Platform`), case-insensitively, as in Backtrace's settings.
 * Names come from GET /field and the create screen; ids win over names, and a
 * field on the create screen wins over namesakes that are not.
 */

/**
 * Jira's standard system fields with their well-known schemas, used when the
 * field list lacks them (no metadata read yet, e.g. a preview before the
 * connection test, or a minimal simulator). Matched by id only; metadata, when
 * present, always takes precedence. Ids (these included) win over names, so
 * `labels` means the system Labels field even if a custom field is named so.
 */
export const SYSTEM_FIELDS: readonly FieldMeta[] = [
  { id: 'project', name: 'Project', schema: { type: 'project', system: 'project' } },
  { id: 'issuetype', name: 'Issue Type', schema: { type: 'issuetype', system: 'issuetype' } },
  { id: 'summary', name: 'Summary', schema: { type: 'string', system: 'summary' } },
  { id: 'description', name: 'Description', schema: { type: 'string', system: 'description' } },
  { id: 'labels', name: 'Labels', schema: { type: 'array', items: 'string', system: 'labels' } },
  { id: 'environment', name: 'Environment', schema: { type: 'string', system: 'environment' } },
  { id: 'priority', name: 'Priority', schema: { type: 'priority', system: 'priority' } },
  { id: 'assignee', name: 'Assignee', schema: { type: 'user', system: 'assignee' } },
  { id: 'duedate', name: 'Due date', schema: { type: 'date', system: 'duedate' } },
  { id: 'fixVersions', name: 'Fix versions', schema: { type: 'array', items: 'version', system: 'fixVersions' } },
  { id: 'versions', name: 'Affects versions', schema: { type: 'array', items: 'version', system: 'versions' } },
  { id: 'components', name: 'Components', schema: { type: 'array', items: 'component', system: 'components' } },
];

export type FieldLookup = { ok: true; field: FieldMeta } | { ok: false; error: string };

export function resolveField(ref: string, fields: readonly FieldMeta[]): FieldLookup {
  const wanted = ref.trim();
  const lower = wanted.toLowerCase();
  if (!wanted) return { ok: false, error: 'a custom field entry has no field id or name' };

  const byId = fields.find((f) => f.id.toLowerCase() === lower) ?? SYSTEM_FIELDS.find((f) => f.id.toLowerCase() === lower);
  if (byId) return { ok: true, field: byId };

  // Jira allows two custom fields with one name (team-managed projects have their own): the
  // create screen tells which one applies; guessing among the rest would fill the wrong one.
  const named = fields.filter((f) => f.name.trim().toLowerCase() === lower);
  const onScreen = named.filter((f) => f.onScreen);
  const byName = onScreen.length > 0 ? onScreen : named;
  if (byName.length === 1) return { ok: true, field: byName[0] };
  if (byName.length > 1) {
    const ids = byName.map((f) => f.id).join(', ');
    return { ok: false, error: `Jira field name '${wanted}' is ambiguous (${ids}); use the field id` };
  }

  return { ok: false, error: `unknown Jira field '${wanted}'` };
}
