import { JiraClient, JiraCreateMetaField, JiraCreateMetaIssueType, JiraField } from '@app/modules/jira/client';
import { JiraSettings } from '@app/modules/jira-settings/jira-settings';
import { screenAwareFields } from '@app/modules/tickets/metadata/issue-metadata';
import { routeSettings } from '@app/modules/tickets/routing';
import { describeFailure, fieldReferenceProblems, missingRequiredFields } from './check-details';
import { ConnectionCheckDto, ROUTE_CHECK_ASPECTS, RouteCheckAspect, routeCheckName } from './dto/connection-test-result.dto';
import { unusableValueProblems } from './value-checks';

type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };
const settle = <T>(p: Promise<T>): Promise<Settled<T>> => p.then((value) => ({ ok: true as const, value }), (error: unknown) => ({ ok: false as const, error }));

/** Every route's checks failed with the same reason (an earlier check failed). */
export function skippedRouteChecks(settings: JiraSettings, reason: string): ConnectionCheckDto[] {
  return settings.routes.flatMap((r) => ROUTE_CHECK_ASPECTS.map((aspect) => ({ name: routeCheckName(r.name, aspect), ok: false, detail: `skipped: ${reason}` })));
}

/**
 * Each route's own checks, named after it (`route mobile: project`, `… issueType`, `… requiredFields`,
 * `… fields`), against its effective settings (what it leaves out comes from the top level): the
 * project, then the issue type in it, each needing the one before, then the issue type's required
 * fields and the field references. A failing route fails the test, and the other routes are still checked.
 */
export async function routeChecks(client: JiraClient, settings: JiraSettings): Promise<ConnectionCheckDto[]> {
  let allFields: Promise<Settled<JiraField[]>> | undefined;
  const fieldsOnce = () => (allFields ??= settle(client.listFields()));
  const checks: ConnectionCheckDto[] = [];
  for (const route of settings.routes) checks.push(...(await checkRoute(client, routeSettings(settings, route.name).settings, route.name, fieldsOnce)));
  return checks;
}

async function checkRoute(client: JiraClient, settings: JiraSettings, route: string, allFields: () => Promise<Settled<JiraField[]>>): Promise<ConnectionCheckDto[]> {
  const checks: ConnectionCheckDto[] = [];
  const pass = (aspect: RouteCheckAspect, detail: string) => checks.push({ name: routeCheckName(route, aspect), ok: true, detail });
  const fail = (aspect: RouteCheckAspect, detail: string) => checks.push({ name: routeCheckName(route, aspect), ok: false, detail });
  const skipRest = (reason: string) => {
    for (const aspect of ROUTE_CHECK_ASPECTS) if (!checks.some((c) => c.name === routeCheckName(route, aspect))) fail(aspect, `skipped: ${reason}`);
    return checks;
  };

  const key = settings.projectKey;
  try {
    const project = await client.getProject(key);
    if (!project) {
      fail('project', `Jira project '${key}' not found, or the account may not browse it`);
      return skipRest(`project '${key}' not found`);
    }
    pass('project', `Found project ${project.key} (${project.name})`);
  } catch (e) {
    fail('project', describeFailure(e, settings.apiUrl));
    return skipRest(`project '${key}' could not be read`);
  }

  const wanted = settings.issueType?.trim() || 'Bug';
  let issueType: JiraCreateMetaIssueType | undefined;
  try {
    const types = await client.getCreateMetaIssueTypes(key);
    issueType = types.find((t) => t.name.toLowerCase() === wanted.toLowerCase() || t.id === wanted);
    if (!issueType) {
      fail('issueType', `issue type '${wanted}' cannot be created in ${key} (available: ${types.map((t) => t.name).join(', ') || 'none'})`);
      return skipRest(`issue type '${wanted}' not found in ${key}`);
    }
    pass('issueType', `Issues of type ${issueType.name} (id ${issueType.id}) can be created in ${key}`);
  } catch (e) {
    fail('issueType', describeFailure(e, settings.apiUrl));
    return skipRest(`the issue types of ${key} could not be read`);
  }

  const [createFields, fields] = await Promise.all([settle(client.getCreateMetaFields(key, issueType.id)), allFields()]);
  const typeName = issueType.name;
  if (!createFields.ok) fail('requiredFields', describeFailure(createFields.error, settings.apiUrl));
  else {
    const missing = missingRequiredFields(settings, createFields.value, screenAwareFields(fields.ok ? fields.value : [], createFields.value), typeName);
    if (missing.length) fail('requiredFields', missing.map((m) => `${m} in ${key}`).join('; '));
    else pass('requiredFields', `every required field of ${typeName} in ${key} is filled or has a default`);
  }

  if (!fields.ok) fail('fields', describeFailure(fields.error, settings.apiUrl));
  else {
    const screen: JiraCreateMetaField[] = createFields.ok ? createFields.value : [];
    const metas = screenAwareFields(fields.value, screen);
    const problems = fieldReferenceProblems(settings, metas);
    if (createFields.ok) problems.push(...(await unusableValueProblems(settings, metas, screen, client)));
    const n = settings.customFields?.length ?? 0;
    const summary = n === 0 ? 'no custom fields configured' : n === 1 ? 'the custom field exists in Jira' : `all ${n} custom fields exist in Jira`;
    (problems.length ? fail : pass)('fields', problems.length ? problems.join('; ') : summary);
  }
  return checks;
}
