import { ConditionSubject, conditionsHold } from '@app/modules/conditions';
import { DEFAULT_ROUTE, StoredJiraSettings } from '@app/modules/jira-settings/jira-settings';

/** What route selection reads of the settings. */
export type RoutingSettings = Pick<StoredJiraSettings, 'routes' | 'fixVersionSync'>;

/**
 * The route a group's ticket takes: the first route (in the order of the settings) whose `when`
 * rows all hold for the group, else the default route (the top-level settings). A route without
 * rows holds for every group. `>=` and `<` on the Fix Version sync attribute compare versions.
 */
export function selectRoute(settings: RoutingSettings, subject: ConditionSubject): string {
  const options = { versionAttribute: settings.fixVersionSync.versionAttribute };
  return settings.routes.find((r) => conditionsHold(r.when ?? [], subject, options))?.name ?? DEFAULT_ROUTE;
}
