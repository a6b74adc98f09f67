import { JiraClient, JiraCreateMetaField, JiraCreateMetaIssueType, JiraField } from '@app/modules/jira/client';
import { JiraSettings } from '@app/modules/jira-settings/jira-settings';
import { screenAwareFields } from '@app/modules/tickets/metadata/issue-metadata';
import { describeFailure, fieldReferenceProblems, missingRequiredFields } from './check-details';
import { updateFieldProblems } from './update-field-checks';
import { mappedValueProblems } from './mapped-value-checks';
import { unusableValueProblems } from './value-checks';

export type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };
export const settle = <T>(p: Promise<T>): Promise<Settled<T>> =>
  p.then((value) => ({ ok: true as const, value }), (error: unknown) => ({ ok: false as const, error }));

/** What a Jira target (the top level or a route) is checked for, each needing the one before it. */
export type TargetAspect = 'project' | 'issueType' | 'requiredFields' | 'fields';

export interface TargetCheckOutput {
  pass(aspect: TargetAspect, detail: string): void;
  fail(aspect: TargetAspect, detail: string): void;
  /** Fails every aspect not checked yet with this reason. */
  skipRest(reason: string): void;
}

export interface TargetCheckHooks {
  /** Runs once the project is found (the top level checks the account's rights there). */
  projectFound?: () => Promise<void>;
  /** Every field Jira has; shared by the targets of one test. */
  allFields: () => Promise<Settled<JiraField[]>>;
  /** More problems of the `fields` check, and a note added to its detail. */
  moreFieldProblems?: () => Promise<string[]>;
  fieldsNote?: (screen: JiraCreateMetaField[] | null, issueType: string) => string | null;
}

/**
 * One Jira target: its project, the issue type in it, then the issue type's required fields and the field
 * references, which both need the issue type but not each other (a typo and the required field it was meant
 * to fill show together). Names resolve as creating an issue resolves them: the create screen's field wins.
 */
export async function checkTarget(client: JiraClient, settings: JiraSettings, out: TargetCheckOutput, hooks: TargetCheckHooks): Promise<void> {
  const key = settings.projectKey;
  try {
    const project = await client.getProject(key);
    if (!project) {
      out.fail('project', `Jira project '${key}' not found, or the account may not browse it`);
      return out.skipRest(`project '${key}' not found`);
    }
    out.pass('project', `Found project ${project.key} (${project.name})`);
    await hooks.projectFound?.();
  } catch (e) {
    out.fail('project', describeFailure(e, settings.apiUrl));
    return out.skipRest(`project '${key}' could not be read`);
  }

  const wanted = settings.issueType?.trim() || 'Bug';
  let issueType: JiraCreateMetaIssueType | undefined;
  try {
    const types = await client.getCreateMetaIssueTypes(key);
    issueType = types.find((t) => t.name.toLowerCase() === wanted.toLowerCase() || t.id === wanted);
    if (!issueType) {
      out.fail('issueType', `issue type '${wanted}' cannot be created in ${key} (available: ${types.map((t) => t.name).join(', ') || 'none'})`);
      return out.skipRest(`issue type '${wanted}' not found in ${key}`);
    }
    out.pass('issueType', `Issues of type ${issueType.name} (id ${issueType.id}) can be created in ${key}`);
  } catch (e) {
    out.fail('issueType', describeFailure(e, settings.apiUrl));
    return out.skipRest(`the issue types of ${key} could not be read`);
  }

  const [createFields, fields] = await Promise.all([settle(client.getCreateMetaFields(key, issueType.id)), hooks.allFields()]);
  const typeName = issueType.name;
  const screen = createFields.ok ? createFields.value : null;
  const metas = screenAwareFields(fields.ok ? fields.value : [], screen ?? []);
  if (!createFields.ok) out.fail('requiredFields', describeFailure(createFields.error, settings.apiUrl));
  else {
    const missing = missingRequiredFields(settings, createFields.value, metas, `${typeName} in ${key}`);
    if (missing.length) out.fail('requiredFields', missing.join('; '));
    else out.pass('requiredFields', `every required field of ${typeName} in ${key} is filled or has a default`);
  }

  if (!fields.ok) return out.fail('fields', describeFailure(fields.error, settings.apiUrl));
  const problems = [...fieldReferenceProblems(settings, metas), ...updateFieldProblems(settings, metas, screen, `${typeName} in ${key}`)];
  if (screen) problems.push(...(await unusableValueProblems(settings, metas, screen, client)));
  problems.push(...mappedValueProblems(settings, metas));
  problems.push(...((await hooks.moreFieldProblems?.()) ?? []));
  const note = hooks.fieldsNote?.(screen, typeName) ?? null;
  const n = settings.customFields?.length ?? 0;
  const summary = problems.length ? problems.join('; ') : n === 0 ? 'no custom fields configured' : n === 1 ? 'the custom field exists in Jira' : `all ${n} custom fields exist in Jira`;
  (problems.length ? out.fail : out.pass)('fields', note ? `${summary}; ${note}` : summary);
}
