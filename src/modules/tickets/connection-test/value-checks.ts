import { JiraClient, JiraCreateMetaField, JiraVersion } from '@app/modules/jira/client';
import { JiraSettings } from '@app/modules/jira-settings/jira-settings';
import { FieldMeta, resolveField, splitList, splitShorthand } from '@app/modules/templates';
import { mapsResolutions, unknownResolutions } from '@app/modules/jira-settings/domain/resolution-names';
import { describeFailure } from './check-details';

/** A value without template syntax: Jira gets exactly what it says, so it can be checked now. */
function isLiteral(value: string): boolean {
  return !value.includes('{{') && splitShorthand(value).every((s) => s.kind === 'text');
}

interface LiteralValue {
  field: FieldMeta;
  kind: string;
  items: string[];
}

/** Custom field entries with a literal value of an option or version field, item by item. */
function literalChoices(settings: JiraSettings, fields: FieldMeta[]): LiteralValue[] {
  const out: LiteralValue[] = [];
  for (const entry of settings.customFields ?? []) {
    if (!isLiteral(entry.value)) continue;
    const r = resolveField(entry.field, fields);
    if (!r.ok) continue;
    const { type, items } = r.field.schema;
    const kind = type === 'array' ? items ?? 'string' : type;
    if (kind !== 'option' && kind !== 'version') continue;
    const values = (type === 'array' ? splitList(entry.value) : [entry.value]).map((v) => v.trim()).filter(Boolean);
    if (values.length) out.push({ field: r.field, kind, items: values });
  }
  return out;
}

const same = (a: unknown, b: string) => typeof a === 'string' && a.toLowerCase() === b.toLowerCase();

/**
 * Literal values Jira would refuse on create although it still lists them: a disabled option
 * (the create screen marks it `disabled`) or an archived version (the project's version list
 * marks it `archived`; the create screen leaves it out). One line per value.
 */
export async function unusableValueProblems(
  settings: JiraSettings,
  fields: FieldMeta[],
  createFields: JiraCreateMetaField[],
  client: JiraClient,
): Promise<string[]> {
  const choices = literalChoices(settings, fields);
  const problems: string[] = [];
  let versions: JiraVersion[] | undefined;
  if (choices.some((c) => c.kind === 'version')) {
    try {
      versions = await client.getProjectVersions(settings.projectKey);
    } catch (e) {
      problems.push(`could not read the versions of ${settings.projectKey}: ${describeFailure(e, settings.apiUrl)}`);
    }
  }
  for (const { field, kind, items } of choices) {
    const screen = createFields.find((f) => f.fieldId === field.id);
    for (const item of items) {
      if (kind === 'option') {
        const option = (screen?.allowedValues ?? []).find((v) => same((v as { value?: unknown })?.value, item)) as { disabled?: unknown } | undefined;
        if (option?.disabled === true) problems.push(`option '${item}' of field '${field.name}' is disabled in Jira; enable it or pick another value`);
      } else if (versions?.find((v) => same(v.name, item))?.archived === true) {
        problems.push(`version '${item}' of field '${field.name}' is archived in ${settings.projectKey}; unarchive it or pick another version`);
      }
    }
  }
  return problems;
}

/** statusMapping resolutions that Jira does not have; nothing when none is mapped or Jira cannot say. */
export async function resolutionProblems(settings: JiraSettings, client: JiraClient): Promise<string[]> {
  if (!mapsResolutions(settings.statusMapping)) return [];
  try {
    const names = (await client.listResolutions()).map((r) => r.name);
    return unknownResolutions(settings.statusMapping, names).map((u) => `${u.field}: ${u.message}`);
  } catch (e) {
    return [`the resolutions could not be read to check statusMapping: ${describeFailure(e, settings.apiUrl)}`];
  }
}
