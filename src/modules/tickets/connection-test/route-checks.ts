import { JiraClient, JiraField } from '@app/modules/jira/client';
import { JiraSettings } from '@app/modules/jira-settings/jira-settings';
import { routeSettings } from '@app/modules/tickets/routing';
import { ConnectionCheckDto, ROUTE_CHECK_ASPECTS, RouteCheckAspect, routeCheckName } from './dto/connection-test-result.dto';
import { Settled, checkTarget, settle } from './target-checks';

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
  const record = (ok: boolean) => (aspect: RouteCheckAspect, detail: string) => checks.push({ name: routeCheckName(route, aspect), ok, detail });
  await checkTarget(client, settings, {
    pass: record(true),
    fail: record(false),
    skipRest: (reason) => {
      for (const aspect of ROUTE_CHECK_ASPECTS) if (!checks.some((c) => c.name === routeCheckName(route, aspect))) record(false)(aspect, `skipped: ${reason}`);
    },
  }, { allFields });
  return checks;
}
