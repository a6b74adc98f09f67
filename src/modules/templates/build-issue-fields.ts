import { DEFAULT_DESCRIPTION_TEMPLATE } from './default-description';
import { START_CONTEXT, afterText } from './escape-context';
import type { JiraFlavour } from '@app/modules/jira/client/jira-types';
import { FieldMeta, coerceFieldValue, isLabelsField } from './field-coercion';
import { resolveField } from './field-resolution';
import { toLabel } from './split-list';
import { TemplateContext, TemplateGroup, buildTemplateContext } from './template-context';
import { EscapeMode, renderTemplate } from './template-engine';
import { TemplateError } from './template-errors';
import { DESCRIPTION_MAX, SUMMARY_MAX, cutAt, truncateText } from './truncate';

/**
 * Error group + Jira settings + field metadata → the exact `fields` object for
 * POST /rest/api/2/issue (and for the preview endpoint). Pure and deterministic:
 * same input, same output, key order included.
 *
 * Order of work, mirroring Backtrace's documented behaviour:
 * 1. project, issue type;
 * 2. summary from `subject` (one line, 255 max);
 * 3. main body text from `description` (default template when empty) into the
 *    description field, or the field named by `fieldMapping.description`;
 * 4. labels from `labels` into the labels field, or `fieldMapping.labels`;
 * 5. custom fields, by id or name; they may override summary, description or
 *    labels ("override ... by specifying it as a Custom Field"), last one wins;
 * 6. Affects versions given by the versions setting, unless a custom field set them;
 * 7. the marker label, appended to the labels field last so nothing drops it.
 */

export interface TemplateSettings {
  subject: string;
  labels: string;
  /** Handlebars + wiki markup; empty or missing → DEFAULT_DESCRIPTION_TEMPLATE. */
  description?: string;
  /** Backtrace's "Field for Main Body Text" / labels field: a field id or name. */
  fieldMapping?: { labels?: string; description?: string };
  customFields: Array<{ field: string; value: string }>;
}

export interface BuildIssueFieldsInput {
  settings: TemplateSettings;
  group: TemplateGroup;
  /** From GET /field, possibly enriched with createmeta allowedValues. */
  fields: FieldMeta[];
  flavour: JiraFlavour;
  projectKey: string;
  issueType: { id?: string; name: string };
  /** Label that lets a retry find the issue it created (exactly-once creation). */
  marker?: { label: string };
  /** Affects versions chosen by the versions setting (Jira ids); a custom field template for the field wins. */
  affectedVersions?: Array<{ id: string }>;
}

export interface IssueFieldError {
  /** The field id when it resolved, else the reference as written in the settings. */
  field: string;
  message: string;
}

export interface BuiltIssueFields {
  fields: Record<string, unknown>;
  warnings: string[];
  errors: IssueFieldError[];
}

const LABEL_MAX = 255;
const TEXT_MAX = DESCRIPTION_MAX; // Jira's limit for multi-line text fields
const DESCRIPTION_TRUNCATION_NOTE = '\n\n(truncated)';
// Longest block closer we may need to add, so the result always fits.
const LONGEST_CLOSER = '\n{noformat}';

/** Mutable state of one build; keeps the code below linear. */
class Build {
  readonly fields: Record<string, unknown> = {};
  readonly warnings = new Set<string>();
  readonly errors: IssueFieldError[] = [];

  constructor(
    readonly ctx: TemplateContext,
    readonly flavour: JiraFlavour,
  ) {}

  render(source: string, escape: EscapeMode, name: string, fieldId: string): string | undefined {
    try {
      const result = renderTemplate(source, this.ctx, { escape, name });
      result.warnings.forEach((w) => this.warnings.add(w));
      return result.text;
    } catch (err) {
      if (!(err instanceof TemplateError)) throw err;
      this.errors.push({ field: fieldId, message: err.message });
      return undefined;
    }
  }

  /** Coerce rendered text for `field` and store it; empty → the field is left out. */
  store(field: FieldMeta, text: string, role: 'summary' | 'description' | 'other'): void {
    const coerced = coerceFieldValue(text, field, this.flavour);
    if (!coerced.ok) {
      this.errors.push({ field: field.id, message: coerced.error });
      return;
    }
    let value = coerced.value;
    if (typeof value === 'string') value = this.fitString(field, value, role);
    if (Array.isArray(value) && isLabelsField(field)) value = value.map((l) => this.fitLabel(field, String(l)));
    if (value === undefined) delete this.fields[field.id];
    else this.fields[field.id] = value;
  }

  private fitString(field: FieldMeta, value: string, role: 'summary' | 'description' | 'other'): string {
    if (role === 'description') {
      return this.truncateDescription(field, value);
    }
    const singleLine = role === 'summary' || (field.schema.custom?.endsWith(':textfield') ?? false);
    if (!singleLine) return this.truncate(field, value, TEXT_MAX, '');
    return this.truncate(field, oneLine(value), SUMMARY_MAX, '…');
  }

  private truncate(field: FieldMeta, value: string, max: number, suffix: string): string {
    const t = truncateText(value, max, suffix);
    if (t.truncated) this.warnings.add(`${field.name} truncated to ${max} characters`);
    return t.text;
  }

  /** Cut wiki text so that it still renders: close an open {code} block, no half escape. */
  private truncateDescription(field: FieldMeta, value: string): string {
    if (value.length <= DESCRIPTION_MAX) return value;
    let kept = cutAt(value, DESCRIPTION_MAX - LONGEST_CLOSER.length - DESCRIPTION_TRUNCATION_NOTE.length);
    kept = kept.replace(/(?:&#?[0-9a-z]*|\\)$/i, ''); // a cut entity or escape would show as text
    const open = afterText(START_CONTEXT, kept).block;
    this.warnings.add(`${field.name} truncated to ${DESCRIPTION_MAX} characters`);
    return kept + (open ? `\n{${open}}` : '') + DESCRIPTION_TRUNCATION_NOTE;
  }

  private fitLabel(field: FieldMeta, label: string): string {
    if (label.length <= LABEL_MAX) return label;
    this.warnings.add(`a label in ${field.name} truncated to ${LABEL_MAX} characters`);
    return cutAt(label, LABEL_MAX);
  }

  resolve(ref: string, fields: FieldMeta[]): FieldMeta | undefined {
    const r = resolveField(ref, fields);
    if (r.ok) return r.field;
    this.errors.push({ field: ref, message: r.error });
    return undefined;
  }
}

/**
 * Text custom fields (single- or multi-line) are shown by whichever renderer the
 * site's field configuration picks, and any of them can be the wiki renderer: a
 * report's values in them are escaped for wiki markup, as in the description.
 * Summary is always shown as plain text by Jira, so it is not.
 */
function isFreeText(field: FieldMeta): boolean {
  const custom = field.schema.custom ?? '';
  return field.schema.type === 'string' && (custom.endsWith(':textarea') || custom.endsWith(':textfield'));
}

/** Whitespace runs that contain a line break become one space (summary is one line). */
function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]\s*/g, ' ').trim();
}

export function buildIssueFields(input: BuildIssueFieldsInput): BuiltIssueFields {
  const { settings, fields, flavour, issueType } = input;
  const build = new Build(buildTemplateContext(input.group), flavour);

  build.fields.project = { key: input.projectKey };
  build.fields.issuetype = issueType.id ? { id: issueType.id } : { name: issueType.name };

  // Summary: Jira requires one; an empty render falls back to the group title.
  const summaryField = build.resolve('summary', fields) as FieldMeta; // always resolves: a system field id
  const subject = build.render(settings.subject, 'none', 'subject', 'summary');
  if (subject !== undefined) {
    let summary = oneLine(subject);
    if (!summary) {
      summary = oneLine(input.group.title) || input.group.fingerprint;
      build.warnings.add('subject rendered empty; the group title is used as summary');
    }
    build.store(summaryField, summary, 'summary');
  }

  const descriptionField = build.resolve(settings.fieldMapping?.description?.trim() || 'description', fields);
  if (descriptionField) {
    const source = settings.description?.trim() ? settings.description : DEFAULT_DESCRIPTION_TEMPLATE;
    const text = build.render(source, 'wiki', 'description', descriptionField.id);
    if (text !== undefined) build.store(descriptionField, text, 'description');
  }

  const labelsField = build.resolve(settings.fieldMapping?.labels?.trim() || 'labels', fields);
  if (labelsField) {
    const text = build.render(settings.labels ?? '', 'none', 'labels', labelsField.id);
    if (text !== undefined) build.store(labelsField, text, 'other');
  }

  const setByCustom = new Set<string>();
  for (const entry of settings.customFields ?? []) {
    const field = build.resolve(entry.field, fields);
    if (!field) continue;
    if (field.id === 'project' || field.id === 'issuetype') {
      const setting = field.id === 'project' ? 'projectKey' : 'issueType';
      build.errors.push({ field: field.id, message: `field '${field.name}' is set by the ${setting} setting` });
      continue;
    }
    if (setByCustom.has(field.id)) build.warnings.add(`Jira field '${field.name}' is set more than once; the last value is used`);
    setByCustom.add(field.id);
    const isBody = field.id === descriptionField?.id;
    const escape = isBody || isFreeText(field) ? 'wiki' : 'none';
    const text = build.render(entry.value ?? '', escape, `custom field '${entry.field}'`, field.id);
    if (text === undefined) continue;
    const role = field.id === 'summary' ? 'summary' : isBody ? 'description' : 'other';
    build.store(field, text, role);
  }

  if (input.affectedVersions?.length) {
    if (build.fields.versions === undefined) build.fields.versions = input.affectedVersions;
    else build.warnings.add('Affects versions is set by a custom field; the versions setting is not used');
  }

  if (input.marker && labelsField) addMarker(build, labelsField, toLabel(input.marker.label));

  return { fields: build.fields, warnings: [...build.warnings], errors: build.errors };
}

function addMarker(build: Build, labelsField: FieldMeta, marker: string): void {
  if (!marker) return;
  const current = build.fields[labelsField.id];
  if (current === undefined) {
    build.fields[labelsField.id] = [marker];
  } else if (Array.isArray(current)) {
    if (!current.includes(marker)) build.fields[labelsField.id] = [...current, marker];
  } else {
    build.warnings.add(`marker label not added: field '${labelsField.name}' is not a list of labels`);
  }
}
