import {
  DESCRIPTION_MAX, FieldMeta, IssueFieldError, JiraFlavour, SUMMARY_MAX, TemplateError, TemplateGroup, ValueMaps,
  buildTemplateContext, coerceFieldValue, renderTemplate, resolveField, truncateText,
} from '@app/modules/templates';
import { CustomFieldTemplate } from '@app/modules/jira-settings/jira-settings';

export interface RenderedUpdate {
  /** The `fields` of PUT issue/{key}; a field whose template renders empty is left out. */
  fields: Record<string, unknown>;
  errors: IssueFieldError[];
}

/** Text fields that Jira may show through the wiki renderer: a report's values in them are escaped. */
function isWikiText(field: FieldMeta): boolean {
  const custom = field.schema.custom ?? '';
  return field.id === 'description' || field.id === 'environment' || (field.schema.type === 'string' && (custom.endsWith(':textarea') || custom.endsWith(':textfield')));
}

const isSingleLine = (field: FieldMeta) => field.id === 'summary' || (field.schema.custom?.endsWith(':textfield') ?? false);

/**
 * settings.updates.fields rendered from the group as it is now, with the create templates' engine, field names
 * and value coercion: the same template gives the same value here as in a created issue's field.
 */
export function renderUpdateFields(
  entries: readonly CustomFieldTemplate[], group: TemplateGroup, fields: readonly FieldMeta[], flavour: JiraFlavour, valueMaps?: ValueMaps,
): RenderedUpdate {
  const ctx = buildTemplateContext(group);
  const out: RenderedUpdate = { fields: {}, errors: [] };
  for (const entry of entries) {
    const found = resolveField(entry.field, [...fields]);
    if (!found.ok) {
      out.errors.push({ field: entry.field, message: found.error });
      continue;
    }
    const field = found.field;
    let text: string;
    try {
      text = renderTemplate(entry.value, ctx, { escape: isWikiText(field) ? 'wiki' : 'none', name: `update field '${entry.field}'`, valueMaps }).text;
    } catch (err) {
      if (!(err instanceof TemplateError)) throw err;
      out.errors.push({ field: field.id, message: err.message });
      continue;
    }
    if (isSingleLine(field)) text = text.replace(/\s*[\r\n]\s*/g, ' ').trim();
    const coerced = coerceFieldValue(text, field, flavour);
    if (!coerced.ok) {
      out.errors.push({ field: field.id, message: coerced.error });
      continue;
    }
    let value = coerced.value;
    if (typeof value === 'string') value = truncateText(value, isSingleLine(field) ? SUMMARY_MAX : DESCRIPTION_MAX, '…').text;
    if (value !== undefined) out.fields[field.id] = value;
  }
  return out;
}
