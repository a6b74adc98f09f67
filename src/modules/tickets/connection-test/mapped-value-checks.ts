import { JiraSettings } from '@app/modules/jira-settings/jira-settings';
import { AllowedValue, FieldMeta, resolveField, splitList, valueMapsUsed } from '@app/modules/templates';

/** What the check reads: the top-level settings, or a route's own members over them. */
export type MappedValueSettings = Pick<JiraSettings, 'projectKey' | 'subject' | 'labels' | 'description' | 'fieldMapping' | 'customFields' | 'valueMaps'>;

interface TemplateTarget {
  source: string;
  /** The Jira field the rendered text goes to, as the settings name it. */
  field: string;
}

const MAX_LISTED = 20;

/** Every template with the field it fills, as buildIssueFields pairs them. */
function templateTargets(s: MappedValueSettings): TemplateTarget[] {
  return [
    { source: s.subject ?? '', field: 'summary' },
    { source: s.description ?? '', field: s.fieldMapping?.description?.trim() || 'description' },
    { source: s.labels ?? '', field: s.fieldMapping?.labels?.trim() || 'labels' },
    ...(s.customFields ?? []).map((c) => ({ source: c.value ?? '', field: c.field })),
  ];
}

/**
 * `valueMaps.severity.fatal`; a key a dot path cannot hold in brackets: `valueMaps.team["QA team"]`,
 * `valueMaps.severity["*"]`. The rule of the paths a settings PUT names (value-maps-problem.ts).
 */
function mapPath(map: string, key: string): string {
  return `valueMaps.${map}${/^[A-Za-z_][\w-]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`}`;
}

/** What Jira calls the allowed values of this field, as the message names them. */
function describeAllowed(field: FieldMeta, kind: string, projectKey: string): string {
  if (kind === 'priority') return `a priority of ${projectKey}`;
  if (kind === 'component') return `a component of ${projectKey}`;
  if (kind === 'version') return `a version of ${projectKey}`;
  if (kind === 'option') return `an option of field '${field.name}'`;
  return `an allowed value of field '${field.name}'`;
}

/** The spellings Jira offers, read as coercion reads them (field-coercion.ts). */
function spellings(allowed: AllowedValue[], kind: string): string[] {
  const key = kind === 'option' ? 'value' : 'name';
  return allowed.map((a) => a[key] ?? a.value ?? a.name).filter((s): s is string => typeof s === 'string');
}

/**
 * Values of the value maps that Jira would refuse. For each template that uses `{{map}}` and
 * fills a field with allowed values (priority, components, versions, select options), every
 * value of the maps it uses, `*` included, is compared with them as a created issue's value
 * is (exact, then ignoring case); a list field's value is checked item by item. A map the
 * template names that valueMaps lacks is named too: it renders empty.
 */
export function mappedValueProblems(settings: MappedValueSettings, fields: FieldMeta[]): string[] {
  const problems = new Set<string>();
  const maps = settings.valueMaps ?? {};
  for (const target of templateTargets(settings)) {
    const used = valueMapsUsed(target.source);
    if (used.length === 0) continue;
    const resolved = resolveField(target.field, fields);
    if (!resolved.ok) continue; // reported by the field reference check
    const field = resolved.field;
    for (const name of used) {
      if (!Object.prototype.hasOwnProperty.call(maps, name)) {
        problems.add(`value map "${name}" used for field '${field.name}' is not defined in valueMaps`);
        continue;
      }
      if (!Array.isArray(field.allowedValues)) continue;
      const { type, items } = field.schema;
      const kind = type === 'array' ? items ?? 'string' : type;
      const offered = spellings(field.allowedValues, kind);
      const lower = new Set(offered.map((s) => s.toLowerCase()));
      const listed = offered.length === 0 ? 'none' : offered.slice(0, MAX_LISTED).join(', ') + (offered.length > MAX_LISTED ? ', …' : '');
      for (const [key, value] of Object.entries(maps[name])) {
        if (typeof value !== 'string') continue;
        const values = (type === 'array' ? splitList(value) : [value]).map((v) => v.trim()).filter(Boolean);
        for (const v of values) {
          if (lower.has(v.toLowerCase())) continue;
          problems.add(`${mapPath(name, key)}: "${v}" is not ${describeAllowed(field, kind, settings.projectKey)} (${listed})`);
        }
      }
    }
  }
  return [...problems];
}
